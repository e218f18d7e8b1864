using System;
using System.Text;

namespace NetGen.Generator;

/// <summary>Writes C# source a line at a time, with <c>using (writer.Block())</c> for braces and indentation.</summary>
internal sealed class IndentedWriter
{
    private const string IndentUnit = "    ";
    private readonly StringBuilder _builder = new();
    private int _depth;

    public void WriteLine(string line = "")
    {
        if (line.Length > 0)
        {
            for (int i = 0; i < _depth; i++)
            {
                _builder.Append(IndentUnit);
            }
            _builder.Append(line);
        }
        _builder.Append('\n');
    }

    /// <summary>Writes several lines, each indented; the text's own line breaks separate them.</summary>
    public void WriteLines(string text)
    {
        foreach (string line in text.Split('\n'))
        {
            WriteLine(line.TrimEnd('\r'));
        }
    }

    /// <summary>Writes an opening brace and returns a scope that writes the closing brace.</summary>
    public BlockScope Block(string? header = null, string closing = "}")
    {
        if (header is not null)
        {
            WriteLine(header);
        }
        WriteLine("{");
        _depth++;
        return new BlockScope(this, closing);
    }

    public override string ToString() => _builder.ToString();

    internal readonly struct BlockScope : IDisposable
    {
        private readonly IndentedWriter _writer;
        private readonly string _closing;

        public BlockScope(IndentedWriter writer, string closing)
        {
            _writer = writer;
            _closing = closing;
        }

        public void Dispose()
        {
            _writer._depth--;
            _writer.WriteLine(_closing);
        }
    }
}
