namespace SecureFed.Samples.FederatedTraining;

/// <summary>One sampled client's model delta (local model minus global model) and its FedAvg weight (train examples).</summary>
internal sealed record ClientUpdate(int Client, double[] Delta, uint Weight);
