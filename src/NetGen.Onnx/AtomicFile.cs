namespace NetGen.Onnx;

/// <summary>Writes a file atomically, as NetGen's own weights files are written (docs/file-format.md, "How a file is written").</summary>
internal static class AtomicFile
{
    /// <summary>
    /// Creates or replaces <paramref name="path"/> with what <paramref name="write"/> writes: into a new temporary file
    /// in the same folder, flushed to disk, then moved over <paramref name="path"/>. When anything fails the temporary
    /// file is deleted, <paramref name="path"/> is untouched, and the exception names <paramref name="path"/>.
    /// </summary>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string fullPath = Path.GetFullPath(path);
        string directory = Path.GetDirectoryName(fullPath) ?? throw new ArgumentException($"'{path}' names no file.", nameof(path));
        string temporary = Path.Combine(directory, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 64 * 1024))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, fullPath, overwrite: true);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            TryDelete(temporary);
            throw error switch
            {
                UnauthorizedAccessException => new UnauthorizedAccessException(
                    $"Cannot save '{fullPath}': access is denied. Saving needs permission to create a file in the folder '{directory}'.", error),
                DirectoryNotFoundException => new DirectoryNotFoundException(
                    $"Cannot save '{fullPath}': the folder '{directory}' does not exist or is not a folder.", error),
                _ => new IOException($"Cannot save '{fullPath}': {error.Message}", error),
            };
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    private static void TryDelete(string temporary)
    {
        try
        {
            File.Delete(temporary);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The original error matters more than a temporary file that could not be removed.
        }
    }
}
