using System.CommandLine;

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

    /// <summary>--server URL: an absolute http(s) URL, default the local `securefed serve` address.</summary>
    public static Option<Uri> ServerOption() => new("--server")
    {
        Description = "the aggregator",
        HelpName = "URL",
        DefaultValueFactory = _ => new Uri(ServeCommand.DefaultUrl),
        CustomParser = r =>
        {
            string text = r.Tokens[0].Value;
            if (!Uri.TryCreate(text, UriKind.Absolute, out Uri? url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            {
                r.AddError($"--server must be an http(s) URL (got '{text}')");
                return null!;
            }
            return url;
        },
    };

    /// <summary>--admin-key HEX.</summary>
    public static Option<string?> AdminKeyOption() =>
        CliOptions.Text("--admin-key", "HEX", "the admin key (default for a loopback server: ./securefed-admin.key)");

    /// <summary>--admin-key-file FILE.</summary>
    public static Option<string?> AdminKeyFileOption() =>
        CliOptions.Text("--admin-key-file", "FILE", "a file holding the admin key");
}
