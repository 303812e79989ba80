using Microsoft.Extensions.Options;
using SecureFed.Aggregator.Diagnostics;
using SecureFed.Aggregator.Hosting;

namespace SecureFed.Aggregator.Rounds;

/// <summary>Closes stages whose deadline passed, every <see cref="AggregatorOptions.DeadlineCheckMilliseconds"/>.</summary>
internal sealed class StageDeadlineService(RoundCoordinator rounds, IOptions<AggregatorOptions> options, TimeProvider time,
    ILogger<StageDeadlineService> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.DeadlineCheckMilliseconds), time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await rounds.CloseDueStagesAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.DeadlineCheckFailure(e);
            }
        }
    }
}
