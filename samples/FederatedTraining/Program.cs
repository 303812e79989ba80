using SecureFed.Samples.FederatedTraining;

// FedAvg on Synthetic(alpha, beta): plain, plain quantized, masking, HE, distributed DP and central DP.
if (args.Contains("--help"))
{
    Console.WriteLine(CommandLine.Usage);
    return 0;
}
try
{
    (SyntheticOptions data, TrainingOptions training, bool quiet) = CommandLine.Parse(args);
    Console.WriteLine($"Synthetic({data.Alpha}, {data.Beta}): {data.Clients} clients (at most {data.MaxSamplesPerClient} examples each), " +
        $"{training.ClientsPerRound} per round, {training.Rounds} rounds, {training.LocalEpochs} local epochs, lr {training.LearningRate}, batch {training.BatchSize}");
    IReadOnlyList<RunResult> results = new SampleRunner(data, training).Run(quiet ? TextWriter.Null : Console.Error);
    return new SampleReport(results, training).Write(Console.Out);
}
catch (SampleUsageException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}
