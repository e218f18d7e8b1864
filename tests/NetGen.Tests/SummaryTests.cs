using NetGen;

namespace NetGen.Tests;

public class SummaryTests
{
    [Fact]
    public void The_summary_of_a_dense_network_reads_like_Keras()
    {
        string summary = new DigitsSummaryNet().Summary();

        Assert.StartsWith("Model: \"DigitsSummaryNet\"\n", summary);
        Assert.Matches(@"\n Layer \(type\) +Output Shape +Param #\n", summary);
        Assert.Contains(" dense (Dense, ReLU)", summary);
        Assert.Matches(@"\n dense \(Dense, ReLU\) +\[64\] +4,160\n", summary);
        Assert.Matches(@"\n dense_1 \(Dense, Softmax\) +\[10\] +650\n", summary);
        Assert.Contains("Total params: 4,810 (18.79 KB)\n", summary);
        Assert.Contains("Loss: CrossEntropy", summary);
    }

    [Fact]
    public void The_summary_of_shaped_layers_gives_each_output_shape_and_numbers_repeated_kinds()
    {
        string summary = NetworkSummary.Of<ConvStackGlobalPoolNet>();

        Assert.Matches(@"\n input \(Input\) +\[2, 8, 9\] +0\n", summary);
        Assert.Matches(@"\n conv2d \(Conv2D, ReLU\) +\[3, 4, 5\] +153\n", summary); // 3 x 2 x 5 x 5 + 3
        Assert.Matches(@"\n conv2d_1 \(Conv2D\) +\[4, 4, 5\] +112\n", summary);   // 4 x 3 x 3 x 3 + 4
        Assert.Matches(@"\n globalaveragepool \(GlobalAveragePool\) +\[4\] +0\n", summary);
        Assert.Matches(@"\n dense \(Dense, Sigmoid\) +\[1\] +5\n", summary);
        Assert.Equal(270, ConvStackGlobalPoolNet.ParameterCount);
        Assert.Contains("Total params: 270 (1.05 KB)\n", summary); // 1,080 bytes
        // The columns line up: every row of the table is as wide as the rules.
        string[] lines = summary.Split('\n');
        int width = lines[1].Length;
        Assert.All(lines.Skip(2).TakeWhile(l => !l.StartsWith("Total")), l => Assert.Equal(width, l.Length));
    }
}

[Network(Loss = Loss.CrossEntropy)] [Input(64)] [Dense(64, Activation.ReLU)] [Dense(10, Activation.Softmax)] public partial class DigitsSummaryNet;
