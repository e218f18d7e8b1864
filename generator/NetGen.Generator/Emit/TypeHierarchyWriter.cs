using System;
using System.Collections.Generic;

namespace NetGen.Generator;

/// <summary>Opens and closes the namespace and the containing types a generated part of a network class goes into.</summary>
internal static class TypeHierarchyWriter
{
    /// <summary>Writes the namespace and the partial containing types, outermost first; disposing the result closes them.</summary>
    public static IDisposable Open(IndentedWriter writer, TypeHierarchy type)
    {
        var scopes = new List<IndentedWriter.BlockScope>();
        if (type.Namespace.Length > 0)
        {
            scopes.Add(writer.Block($"namespace {type.Namespace}"));
        }
        foreach (ContainingType outer in type.ContainingTypes)
        {
            scopes.Add(writer.Block($"partial {outer.Keyword} {outer.Name}"));
        }
        return new Closer(scopes);
    }

    private sealed class Closer(List<IndentedWriter.BlockScope> scopes) : IDisposable
    {
        public void Dispose()
        {
            for (int i = scopes.Count - 1; i >= 0; i--)
            {
                scopes[i].Dispose();
            }
            scopes.Clear();
        }
    }
}
