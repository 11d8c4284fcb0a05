package org.provproxy.request;

import org.provproxy.failure.FailureKind;
import org.provproxy.failure.ProvisioningFailure;

/**
 * The app presented a token past its expiry. Carries the sign-in the token resolved to, so that the failure
 * policy can answer a re-provisioning with the tenant's logout status (the app then asks the user to sign in).
 */
public class ExpiredToken extends ProvisioningFailure {

    private final transient SignIn signIn;

    public ExpiredToken(SignIn signIn) {
        super(FailureKind.TOKEN_EXPIRED, "token expired at " + signIn.token().expires());
        this.signIn = signIn;
    }

    public SignIn signIn() {
        return signIn;
    }
}
