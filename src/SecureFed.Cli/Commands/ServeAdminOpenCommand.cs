using System.CommandLine;
using SecureFed.Client;
using SecureFed.Transport;
using SecureFed.Transport.Admin;

namespace SecureFed.Cli.Commands;

/// <summary>`securefed serve admin open`: opens a masking or HE round over a federation's roster (the service validates the fields).</summary>
internal sealed class ServeAdminOpenCommand : ServeAdminAction
{
    private readonly Option<string> _federation = FederationOption();
    private readonly Option<int> _length = CliOptions.Int("--length", "M", "values per client (required)", 0, 1, 1 << 28);
    private readonly Option<int> _bits = CliOptions.Int("--bits", "B", "modulus 2^B, 1..64 (HE: 16..64)", 32, 1, 64);
    private readonly Option<int?> _threshold = CliOptions.OptionalInt("--threshold", "T", "Shamir threshold (HE: decryptors needed, default a strict majority)", 1, int.MaxValue);
    private readonly Option<int?> _minClients = CliOptions.OptionalInt("--min-clients", "N", "fewest clients the round completes with (HE: fewest uploads decrypted, default 1)", 1, int.MaxValue);
    private readonly Option<double> _deadline = CliOptions.Double("--deadline", "SECONDS", "deadline of every stage", 60, 0.001, 86_400);
    private readonly Option<string> _scheme = CliOptions.Choice("--scheme", "the round's scheme", Schemes.Masking, Schemes.Masking, Schemes.He);
    private readonly Option<int[]?> _decryptors = CliOptions.IntList("--decryptors", "ID[,ID...]", "HE: the enrolled client ids that hold key shares (required with --scheme he)", 1, int.MaxValue);
    private readonly Option<long?> _inputRange = CliOptions.OptionalLong("--input-range", "R", "HE: values per client lie in [0, R)", 1, long.MaxValue);
    private readonly Option<int> _maxAttempts = CliOptions.Int("--max-attempts", "K", "HE: decryption attempts", 2, 1, 8);
    private readonly Option<double> _clipRange = CliOptions.Double("--clip-range", "C", "HE: clip range of real inputs (0: integer inputs)", 0, 0, 1e12);
    private readonly Option<int> _lanes = CliOptions.Int("--lanes", "L", "HE: values packed per plaintext coefficient; 0 = the plan picks the smallest upload", 0, 0, 64);
    private readonly Option<int> _bodies = CliOptions.Int("--bodies", "B", "HE: ciphertext bodies sharing one mask; 0 = the plan picks the smallest upload", 0, 0, 16);
    private readonly Option<int> _degree = CliOptions.Int("--degree", "N", "HE: ring degree (0: the planner's)", 0, 0, 1 << 16);
    private readonly RoundGraphOptionSet _graph = new();
    private readonly RoundEncodingOptionSet _encoding = new();
    private readonly QuietCloseOptionSet _quiet = new();
    private readonly Option<double[]?> _deadlines = CliOptions.DoubleList("--deadlines", "S0,S1,S2,S3", "HE: per-stage deadlines", 0.001, 86_400);

    public override string Name => "serve admin open";

    public override string Description => """
        open a round over the federation's roster; prints the round id (JSON)
        an HE round (--scheme he): decryptors are enrolled client ids, T of them decrypt (default a strict majority);
        --min-clients is the fewest uploads decrypted (default 1)
        a masking round's graph: the SecAgg+ finder's k and t for the roster under --gamma/--delta (defaults 0.05/0.1),
        or --graph complete; the service refuses assumptions no graph can meet (400 invalid-configuration, field Graph)
        float rounds (either scheme): --clip-norm C makes devices contribute float updates of --length coordinates and
        read back the (weighted, --max-weight) average; --bits or --scale set the resolution (the service refuses an
        encoding whose sum could wrap, with the numbers)
        distributed DP (either scheme, with --clip-norm): --dp-epsilon E (the planner finds the noise) or
        --noise-multiplier Z; charged to the federation's privacy budget (--budget EPS sets it first when unset;
        the open is refused 409 privacy-budget-exhausted when the worst case would exceed it)
        a quiet close rule (either scheme, default off): --quiet-close S (or per stage --quiet-closes S0,S1,...) closes a
        stage before its deadline once a quorum has sent (--quiet-quorum F of the stage's expected senders, never below
        the round's threshold and minimum clients) and nothing arrived for S seconds; a device slower than S is dropped
        """;

    protected override IEnumerable<Symbol> ActionSymbols =>
        [_federation, _length, _bits, _threshold, _minClients, _deadline, _scheme, _decryptors, _inputRange, _maxAttempts, _clipRange, _lanes, _bodies, _degree, _deadlines, .. _graph.All, .. _encoding.All, .. _quiet.All];

    protected override Func<SecureFedAdminClient, Task<object>> Prepare(ParseResult parse)
    {
        if (!CliOptions.Given(parse, _length))
        {
            throw new CliUsageException("--length is required");
        }
        OpenRoundRequest request = parse.GetValue(_scheme) == Schemes.He ? HeRequest(parse) : MaskingRequest(parse);
        _quiet.Read(parse)?.Apply(request);
        int? bits = CliOptions.Given(parse, _bits) ? parse.GetValue(_bits) : null;
        request.Float = _encoding.Float(parse, parse.GetValue(_length), bits);
        request.Dp = request.Float is null ? null : _encoding.Dp(parse, bits);
        if (request.Float is not null)
        {
            // The encoding defines the round's values: the request's own vector shape stays absent.
            request.Vectors = [];
            if (request.He is { } he)
            {
                if (he.InputRange is not null)
                {
                    throw new CliUsageException("--input-range does not apply to a float round (the encoding sets the window)");
                }
                he.VectorLength = 0;
                he.Bits = bits ?? he.Bits;
            }
        }
        double? budget = parse.GetValue(_encoding.Budget);
        double? budgetDelta = parse.GetValue(_encoding.BudgetDelta);
        return async a =>
        {
            if (request.Dp is not null && budget is double epsilon)
            {
                await EnsureBudgetAsync(a, request.Federation, epsilon, budgetDelta ?? 1e-5).ConfigureAwait(false);
            }
            return await a.OpenRoundAsync(request).ConfigureAwait(false);
        };
    }

    // Sets the federation's budget when it has none, or raises it to `epsilon` (never lowers it); recorded as the admin's act.
    private static async Task EnsureBudgetAsync(SecureFedAdminClient admin, string federation, double epsilon, double delta)
    {
        PrivacyLedgerView? view = null;
        try
        {
            view = await admin.GetPrivacyLedgerAsync(federation).ConfigureAwait(false);
        }
        catch (RequestRefusedException e) when (e.Problem == ProblemCode.PrivacyBudgetUnset)
        {
            // none yet
        }
        if (view is null)
        {
            await admin.SetPrivacyBudgetAsync(federation, epsilon, delta, "securefed serve admin open").ConfigureAwait(false);
        }
        else if (view.BudgetEpsilon < epsilon)
        {
            await admin.SetPrivacyBudgetAsync(federation, epsilon, null, "securefed serve admin open").ConfigureAwait(false);
        }
    }

    private OpenRoundRequest MaskingRequest(ParseResult parse)
    {
        CliOptions.Refuse(parse, [_decryptors, _inputRange, _maxAttempts, _clipRange, _lanes, _bodies, _degree, _deadlines], "applies to --scheme he only");
        return new OpenRoundRequest
        {
            Federation = parse.GetRequiredValue(_federation),
            Vectors = [new VectorRequest { Length = parse.GetValue(_length), Bits = parse.GetValue(_bits) }],
            Threshold = parse.GetValue(_threshold),
            MinimumClients = parse.GetValue(_minClients),
            StageDeadlineSeconds = parse.GetValue(_deadline),
            Graph = _graph.Read(parse),
        };
    }

    private OpenRoundRequest HeRequest(ParseResult parse)
    {
        int[] decryptors = parse.GetValue(_decryptors) ?? throw new CliUsageException("--scheme he needs --decryptors ID[,ID...]");
        CliOptions.Refuse(parse, _graph.All, "applies to masking rounds only");
        int bits = parse.GetValue(_bits);
        if (bits < 16)
        {
            throw new CliUsageException($"--bits must be between 16 and 64 for --scheme he (got {bits})");
        }
        return new OpenRoundRequest
        {
            Federation = parse.GetRequiredValue(_federation),
            Scheme = Schemes.He,
            StageDeadlineSeconds = parse.GetValue(_deadline),
            StageDeadlinesSeconds = parse.GetValue(_deadlines) is { } list ? [.. list] : null,
            He = new HeRoundRequest
            {
                Decryptors = [.. decryptors.Select(d => (uint)d)],
                Threshold = parse.GetValue(_threshold),
                VectorLength = parse.GetValue(_length),
                Bits = bits,
                InputRange = parse.GetValue(_inputRange) is long r ? (ulong)r : null,
                MinimumClients = parse.GetValue(_minClients),
                MaxDecryptionAttempts = parse.GetValue(_maxAttempts),
                ClipRange = parse.GetValue(_clipRange),
                Lanes = parse.GetValue(_lanes),
                Bodies = parse.GetValue(_bodies),
                Degree = parse.GetValue(_degree),
            },
        };
    }
}
