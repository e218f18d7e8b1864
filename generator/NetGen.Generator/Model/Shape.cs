using System.Linq;

namespace NetGen.Generator;

/// <summary>
/// The shape of the values a layer reads or writes: a vector [n], a sequence [steps, features] or an image
/// [channels, height, width]. Stored row-major as one flat span whose length is <see cref="Size"/>.
/// </summary>
internal sealed record Shape(EquatableArray<int> Dimensions)
{
    public static Shape Vector(int size) => new(new[] { size }.ToEquatableArray());

    public static Shape Sequence(int steps, int features) => new(new[] { steps, features }.ToEquatableArray());

    public static Shape Image(int channels, int height, int width) => new(new[] { channels, height, width }.ToEquatableArray());

    public int Rank => Dimensions.Length;

    public bool IsVector => Rank == 1;

    public bool IsSequence => Rank == 2;

    public bool IsImage => Rank == 3;

    public int this[int axis] => Dimensions[axis];

    /// <summary>The number of values, which the parser keeps within an int.</summary>
    public int Size => (int)LongSize;

    public long LongSize => Dimensions.Aggregate(1L, (product, dimension) => product * dimension);

    /// <summary>What the shape is, in words for messages: "a vector [10]", "an image [8, 28, 28]".</summary>
    public string Describe() => (IsImage ? "an " : "a ") + KindName + " " + this;

    /// <summary>"image", "sequence" or "vector".</summary>
    public string KindName => IsImage ? "image" : IsSequence ? "sequence" : "vector";

    /// <summary>The dimensions as C# writes an int array's elements: "8, 28, 28".</summary>
    public string ElementList => string.Join(", ", Dimensions);

    public override string ToString() => "[" + ElementList + "]";
}
