namespace NetGen.Generator;

/// <summary>Where the generated partial class goes: its namespace and the types it is nested in, outermost first.</summary>
/// <remarks>Names are as they are written in C#: a keyword used as a name keeps its '@'.</remarks>
internal sealed record TypeHierarchy(string Namespace, string Name, EquatableArray<ContainingType> ContainingTypes)
{
    /// <summary>The full name without '@' escapes: the generated file's name.</summary>
    public string HintName => FullName.Replace("@", "");

    public string FullName
    {
        get
        {
            string name = Name;
            for (int i = ContainingTypes.Length - 1; i >= 0; i--)
            {
                name = ContainingTypes[i].Name + "." + name;
            }
            return Namespace.Length == 0 ? name : Namespace + "." + name;
        }
    }
}

/// <summary>A type the network class is nested in, with the keyword that declares it (class, struct, record...).</summary>
internal sealed record ContainingType(string Keyword, string Name);
