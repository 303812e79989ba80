using System.Net.Http.Json;
using SecureFed.Transport.Admin;

namespace SecureFed.Client;

// The privacy budget and ledger of a federation (protocol-spec/transport.md section 5, dp.md section 9).
public sealed partial class SecureFedAdminClient
{
    /// <summary>
    /// Sets the federation's privacy budget (first call) or raises its epsilon (later calls; delta is fixed). The act
    /// is recorded in the ledger with <paramref name="actor"/>. Returns the ledger after it.
    /// </summary>
    /// <exception cref="RequestRefusedException"><c>invalid-configuration</c> naming Epsilon or Delta (a lower epsilon, another delta).</exception>
    public async Task<PrivacyLedgerView> SetPrivacyBudgetAsync(string federation, double epsilon, double? delta = null, string? actor = null,
        CancellationToken cancellationToken = default)
    {
        var body = new PrivacyBudgetRequest { Epsilon = epsilon, Delta = delta, Actor = actor };
        using HttpResponseMessage r = await _http.PutAsJsonAsync($"/admin/v1/federations/{Uri.EscapeDataString(federation)}/privacy-budget", body, AdminJson.Options, cancellationToken)
            .ConfigureAwait(false);
        return await ReadAsync<PrivacyLedgerView>(r, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The federation's privacy ledger, entry by entry.</summary>
    /// <exception cref="RequestRefusedException"><c>privacy-budget-unset</c> when the federation has no budget.</exception>
    public async Task<PrivacyLedgerView> GetPrivacyLedgerAsync(string federation, CancellationToken cancellationToken = default)
    {
        using HttpResponseMessage r = await _http.GetAsync($"/admin/v1/federations/{Uri.EscapeDataString(federation)}/privacy-ledger", cancellationToken).ConfigureAwait(false);
        return await ReadAsync<PrivacyLedgerView>(r, cancellationToken).ConfigureAwait(false);
    }
}
