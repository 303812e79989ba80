namespace SecureFed.Cli.Commands;

/// <summary>The fields of a swarm report that both schemes print the same way.</summary>
internal interface ISwarmOutcome
{
    double EnrolSeconds { get; }

    double WallSeconds { get; }

    bool SumMatches { get; }

    string? FirstError { get; }
}
