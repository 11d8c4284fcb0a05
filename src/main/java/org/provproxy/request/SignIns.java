package org.provproxy.request;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.UUID;

import org.provproxy.account.AccountTokens.AccountToken;
import org.provproxy.config.TenantSettings;
import org.springframework.stereotype.Component;
import org.springframework.web.util.UriUtils;

/**
 * The one factory of {@link SignIn}: the HTTP reader, the token paths, offline replay ({@code validate}) and
 * record mode all build the context here, so a value is resolved the same way wherever a sign-in comes from.
 */
@Component("signIns")
public class SignIns {

    private final org.provproxy.config.Tenants tenants;
    private final CredentialKeys credentialKeys;

    public SignIns(org.provproxy.config.Tenants tenants, CredentialKeys credentialKeys) {
        this.tenants = tenants;
        this.credentialKeys = credentialKeys;
    }

    /**
     * A sign-in of {@code userId} with {@code password} at tenant {@code tenantKey}, for {@code platform}
     * ({@code mobile} or {@code desktop}); {@code token}, {@code tokenText} and {@code dialNumber} may be null.
     */
    public SignIn of(Caller caller, RequestKind kind, String tenantKey, String userId, String password,
                     String platform, AccountToken token, String tokenText, String dialNumber) {
        TenantSettings tenant = tenants.settings(tenantKey);
        String credentialKey = credentialKeys.of(userId, password);
        XsiAccess xsi = new XsiAccess(
                tenant.xsiUrl() + "/v2.0/user/" + UriUtils.encodePathSegment(userId, StandardCharsets.UTF_8),
                password,
                "Basic " + Base64.getEncoder().encodeToString((userId + ":" + password).getBytes(StandardCharsets.UTF_8)),
                credentialKey);
        String lastGoodKey = String.join("|", kind.answer(), tenantKey, userId, platform, credentialKey);
        return new SignIn(caller, kind, tenant, userId, xsi, platform, tenant.platform(platform), token, tokenText,
                dialNumber, lastGoodKey);
    }

    /**
     * A sign-in replayed without a backend ({@code validate}): no password, and {@code ${proxy}} for the proxy's
     * own address, as samples' expected answers write it.
     */
    public SignIn offline(String tenantKey, String userId, String platform, RequestKind kind) {
        // no backend is called offline: the deadline never matters
        Caller caller = new Caller(UUID.randomUUID().toString(), Locale.ENGLISH, "GET", "/", "${proxy}", null, null,
                Deadline.after(System.nanoTime(), Duration.ofDays(1)), false, false, null);
        return of(caller, kind, tenantKey, userId, "", platform, null, null, null);
    }
}
