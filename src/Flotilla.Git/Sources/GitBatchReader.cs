using System.Text;

namespace Flotilla.Git.Sources;

/// <summary>Reads <c>git cat-file --batch</c> output: a header line, then exactly the object's bytes and a newline.</summary>
internal sealed class GitBatchReader(Stream stream)
{
    private const int MaxHeaderBytes = 1024;

    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _position;
    private int _length;

    /// <summary>The next header line without its newline.</summary>
    public async Task<string> ReadHeaderAsync(CancellationToken ct)
    {
        var line = new List<byte>();
        while (true)
        {
            if (_position == _length && !await FillAsync(ct)) throw new EndOfStreamException("git cat-file ended early");
            var newline = Array.IndexOf(_buffer, (byte)'\n', _position, _length - _position);
            var end = newline < 0 ? _length : newline;
            line.AddRange(_buffer.AsSpan(_position, end - _position));
            _position = newline < 0 ? _length : newline + 1;
            if (newline >= 0) return Encoding.ASCII.GetString(line.ToArray());
            if (line.Count > MaxHeaderBytes) throw new InvalidDataException("git cat-file header too long");
        }
    }

    /// <summary>Copies exactly <paramref name="count"/> bytes to <paramref name="destination"/>, then skips the trailing newline.</summary>
    public async Task CopyObjectAsync(Stream destination, long count, CancellationToken ct)
    {
        while (count > 0)
        {
            if (_position == _length && !await FillAsync(ct)) throw new EndOfStreamException("git cat-file ended inside an object");
            var take = (int)Math.Min(count, _length - _position);
            await destination.WriteAsync(_buffer.AsMemory(_position, take), ct);
            _position += take;
            count -= take;
        }

        if (_position == _length && !await FillAsync(ct)) throw new EndOfStreamException("git cat-file ended after an object");
        if (_buffer[_position++] != (byte)'\n') throw new InvalidDataException("git cat-file object not followed by a newline");
    }

    private async Task<bool> FillAsync(CancellationToken ct)
    {
        _length = await stream.ReadAsync(_buffer, ct);
        _position = 0;
        return _length > 0;
    }
}
