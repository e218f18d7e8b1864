using System.Text;

namespace NetGen;

/// <summary>
/// Splits text into records of fields as RFC 4180 does: fields separated by the delimiter, records by CRLF, LF or CR,
/// and a field in double quotes may hold delimiters, line breaks and doubled quotes (<c>""</c> for one <c>"</c>).
/// Blank lines are skipped. Malformed quoting is refused with the line and field, since guessing would shift columns.
/// </summary>
internal sealed class CsvRecordReader(TextReader reader, char delimiter, string sourceName)
{
    private const int EndOfText = -1;
    private readonly StringBuilder _field = new();
    private int _line = 1;

    /// <summary>The line on which the record last read starts (1 for the first line of the text).</summary>
    public int RecordLine { get; private set; }

    /// <summary>Reads the next record into <paramref name="fields"/>; false at the end of the text.</summary>
    /// <exception cref="FormatException">A quoted field is not closed, or text follows its closing quote, or a quote stands inside an unquoted field.</exception>
    public bool TryReadRecord(List<string> fields)
    {
        fields.Clear();
        int c = reader.Read();
        while (c is '\n' or '\r')
        {
            EndLine(c);
            c = reader.Read();
        }
        if (c == EndOfText)
        {
            return false;
        }
        RecordLine = _line;
        while (true)
        {
            _field.Clear();
            c = c == '"' ? ReadQuoted(fields.Count + 1) : ReadUnquoted(c, fields.Count + 1);
            fields.Add(_field.ToString());
            if (c == delimiter)
            {
                c = reader.Read();
                continue;
            }
            if (c != EndOfText)
            {
                EndLine(c);
            }
            return true;
        }
    }

    /// <summary>Reads an unquoted field from its first character; returns the character that ends it.</summary>
    private int ReadUnquoted(int c, int fieldNumber)
    {
        while (c != delimiter && c is not ('\n' or '\r' or EndOfText))
        {
            if (c == '"')
            {
                throw Error(_line, fieldNumber,
                    $"a quote inside an unquoted field (after '{_field}'); a field that holds quotes must be quoted whole, with each quote doubled");
            }
            _field.Append((char)c);
            c = reader.Read();
        }
        return c;
    }

    /// <summary>Reads a quoted field after its opening quote; returns the character after the closing quote.</summary>
    private int ReadQuoted(int fieldNumber)
    {
        int openedOn = _line;
        while (true)
        {
            int c = reader.Read();
            if (c == EndOfText)
            {
                throw Error(openedOn, fieldNumber, "the quoted field opened here is not closed before the end of the text");
            }
            if (c == '"')
            {
                if (reader.Peek() != '"')
                {
                    break;
                }
                reader.Read();
            }
            else if (c == '\n' || (c == '\r' && reader.Peek() != '\n'))
            {
                _line++;
            }
            _field.Append((char)c);
        }
        int next = reader.Read();
        if (next != delimiter && next is not ('\n' or '\r' or EndOfText))
        {
            throw Error(_line, fieldNumber,
                $"'{(char)next}' follows the closing quote of \"{_field}\"; expected the delimiter '{delimiter}' or the end of the line");
        }
        return next;
    }

    private void EndLine(int c)
    {
        if (c == '\r' && reader.Peek() == '\n')
        {
            reader.Read();
        }
        _line++;
    }

    private FormatException Error(int line, int fieldNumber, string what) => new($"{sourceName}, line {line}, field {fieldNumber}: {what}.");
}
