namespace SecureFed.Cli.Commands;

/// <summary>
/// Finds the admin key for the CLI's operator commands: --admin-key, else --admin-key-file, else (only for a
/// loopback server) the securefed-admin.key that `securefed serve` wrote in the working folder.
/// </summary>
internal static class ServeAdminCredentials
{
    public const string DefaultFile = "securefed-admin.key";

    public static string Resolve(Uri server, string? key, string? file)
    {
        if (key is not null)
        {
            return key.Trim();
        }
        if (file is null)
        {
            if (!server.IsLoopback)
            {
                throw new CliUsageException($"{server} is not loopback: give the admin key with --admin-key or --admin-key-file");
            }
            file = DefaultFile;
        }
        if (!File.Exists(file))
        {
            throw new CliUsageException($"no admin key file at {Path.GetFullPath(file)} (start `securefed serve` in this folder, or pass --admin-key-file)");
        }
        return File.ReadAllText(file).Trim();
    }

    public static Uri ParseServer(string? text)
    {
        if (!Uri.TryCreate(text ?? ServeCommand.DefaultUrl, UriKind.Absolute, out Uri? url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw new CliUsageException($"--server must be an http(s) URL (got '{text}')");
        }
        return url;
    }
}
