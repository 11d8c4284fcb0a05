package org.provproxy.failure;

import java.io.IOException;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.TimeoutException;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Variable;
import org.provproxy.account.AccountVersion;
import org.provproxy.observe.RequestObservation;
import org.provproxy.request.Caller;
import org.provproxy.request.ExpiredToken;
import org.provproxy.request.SignIn;
import org.provproxy.walk.Walk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;
import org.springframework.stereotype.Component;

/**
 * The one place that decides what a failure means for the app. The caught exception is classified (a
 * {@link ProvisioningFailure} keeps its kind; an I/O error talking to XSI or the DMS means the backend is
 * unavailable; anything else is internal), then:
 * <ul>
 *   <li>the tenant's logout status only on re-provisioning, and only when access is certainly gone (XSI says the
 *       credentials are wrong or the user no longer exists; the token expired; the device was removed, if the
 *       tenant says so);</li>
 *   <li>transient trouble never logs anyone out nor drops a working config: 304 when the app sent a validator,
 *       else its last good answer, else the error (on re-provisioning always 503, "try again later");</li>
 *   <li>everything else: the status of its {@link FailureKind}.</li>
 * </ul>
 * {@link ErrorAnswers} then writes the error answer.
 */
@Component("failurePolicy")
public class FailurePolicy {

    private static final Logger LOG = LoggerFactory.getLogger(FailurePolicy.class);
    /** Not the user's doing and maybe gone in a minute: never a reason to log out or to drop a working config. */
    static final Set<FailureKind> TRANSIENT = EnumSet.of(FailureKind.BACKEND_UNAVAILABLE, FailureKind.BACKEND_MALFORMED,
            FailureKind.BACKEND_TOO_LARGE, FailureKind.BACKEND_REJECTED, FailureKind.DMS_REJECTED, FailureKind.INTERNAL);

    /**
     * Decides about the caught failure of a request: {@code caller} is always known, {@code signIn},
     * {@code version} (the answer's version, once stamped) and {@code walk} only as far as the request got.
     */
    public Failure decide(@ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable caught,
                          @Variable("caller") Caller caller, @Variable("signIn") SignIn signIn,
                          @Variable("version") AccountVersion version, @Variable("walk") Walk walk,
                          @Variable("observation") RequestObservation observation) {
        FailureKind kind = classify(caught);
        if (signIn == null) {
            signIn = concerned(caught);
        }
        Failure failure = decide(kind, caught, caller, signIn, version, walk);
        log(kind, caught, signIn, failure, observation);
        return failure;
    }

    private static Failure decide(FailureKind kind, Throwable caught, Caller caller, SignIn signIn,
                                  AccountVersion version, Walk walk) {
        String device = deviceName(caught, walk);
        Duration retryAfter = retryAfter(caught);
        boolean refresh = signIn != null && signIn.mayLogOut();
        if (TRANSIENT.contains(kind)) {
            if (caller.conditional()) {
                return new Failure(kind, Failure.Outcome.NOT_MODIFIED, 304, false, device, confirmed(caller, signIn, version),
                        signIn, null);
            }
            // on re-provisioning (and the token's web services), transient trouble is always "try again later"
            int status = refresh ? FailureKind.BACKEND_UNAVAILABLE.status() : kind.status();
            return new Failure(kind, signIn != null ? Failure.Outcome.STALE : Failure.Outcome.ERROR, status, false,
                    device, null, signIn, retryAfter);
        }
        boolean logout = logout(signIn, kind);
        return new Failure(kind, Failure.Outcome.ERROR, logout ? signIn.tenant().logoutStatusCode() : kind.status(),
                logout, device, null, signIn, retryAfter);
    }

    /**
     * The version a 304 confirms: the answer's own once stamped, else the one the app's token names, else the
     * single tag the app sent.
     */
    private static AccountVersion confirmed(Caller caller, SignIn signIn, AccountVersion version) {
        if (version != null) {
            return version;
        }
        AccountVersion held = signIn != null ? signIn.heldVersion() : null;
        if (held != null) {
            return held;
        }
        String tag = caller.ifNoneMatch();
        return AccountVersion.confirmed(tag != null && !tag.contains(",") && !tag.contains("*") ? tag.trim() : null);
    }

    /** Only on re-provisioning (and the token's web services), and only when access is certainly gone. */
    static boolean logout(SignIn signIn, FailureKind kind) {
        if (signIn == null || !signIn.mayLogOut()) {
            return false;
        }
        return kind == FailureKind.WRONG_CREDENTIALS || kind == FailureKind.USER_GONE || kind == FailureKind.TOKEN_EXPIRED
                || (kind == FailureKind.NO_DEVICE && signIn.tenant().logoutWhenDeviceRemoved());
    }

    /** The sign-in a failure found while reading the request concerns (an expired token's), or null. */
    private static SignIn concerned(Throwable caught) {
        for (Throwable cause = caught; cause != null; cause = cause.getCause()) {
            if (cause instanceof ExpiredToken expired) {
                return expired.signIn();
            }
        }
        return null;
    }

    /** The Retry-After the backend named (XSI overloaded, 429 or 503), or null. */
    private static Duration retryAfter(Throwable caught) {
        for (Throwable cause = caught; cause != null; cause = cause.getCause()) {
            if (cause instanceof ProvisioningFailure failure) {
                return failure.retryAfter();
            }
        }
        return null;
    }

    private static String deviceName(Throwable caught, Walk walk) {
        for (Throwable cause = caught; cause != null; cause = cause.getCause()) {
            if (cause instanceof ProvisioningFailure failure && failure.deviceName() != null) {
                return failure.deviceName();
            }
        }
        return walk != null && walk.deviceName() != null ? walk.deviceName() : "";
    }

    /** Whether the failure is transient trouble of the platform (or ours): never the user's doing. */
    public static boolean isTransient(Throwable caught) {
        return TRANSIENT.contains(classify(caught));
    }

    public static FailureKind classify(Throwable caught) {
        for (Throwable cause = caught; cause != null; cause = cause.getCause()) {
            if (cause instanceof ProvisioningFailure failure) {
                return failure.kind();
            }
        }
        for (Throwable cause = caught; cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException || cause instanceof TimeoutException) {
                // timeouts (also waiting for a free pooled connection), refused or reset connections, unknown
                // hosts: XSI or the DMS cannot be reached
                return FailureKind.BACKEND_UNAVAILABLE;
            }
        }
        return FailureKind.INTERNAL;
    }

    /**
     * The failure's line. When the app gets the error answer, it is the request's one line and carries the
     * request's fields (observe/RequestObservation); a 304 or a last good answer has its own line (reply/Replies),
     * and so has a last good answer missing (ErrorAnswers).
     */
    private static void log(FailureKind kind, Throwable caught, SignIn signIn, Failure failure,
                            RequestObservation observation) {
        String who = signIn == null ? "tenant=- user=- platform=-"
                : "tenant=" + signIn.tenant().key() + " user=" + signIn.userId() + " platform=" + signIn.platform()
                        + (signIn.refresh() ? " refresh" : "");
        boolean failed = kind == FailureKind.INTERNAL
                || (kind != FailureKind.DMS_HOST_NOT_ALLOWED && (kind.status() >= 500 || kind.status() == 409));
        // a DMS host not allowed is refused: what the administrator must know is logged once per host
        // (walk/RefusedDmsHosts), not per request
        LoggingEventBuilder line = kind == FailureKind.INTERNAL ? LOG.atError().setCause(caught)
                : failed ? LOG.atWarn() : LOG.atInfo();
        if (failure.outcome() == Failure.Outcome.ERROR || keepsNoLastGood(failure)) {
            line = RequestObservation.fields(line, observation, signIn, failure.status(), failure);
        }
        if (!failed) {
            line.log("provisioning refused: {} status={} {}", kind.code(), kind.status(), who);
        } else if (kind == FailureKind.INTERNAL) {
            line.log("provisioning failed: {} status={} {}", kind.code(), kind.status(), who);
        } else {
            line.log("provisioning failed: {} status={} {} ({})", kind.code(), kind.status(), who, detail(caught));
        }
    }

    /**
     * A last good answer is asked for, but the tenant keeps none (stale-if-error 0): the error answer follows for
     * sure, so this line is the request's.
     */
    static boolean keepsNoLastGood(Failure failure) {
        if (failure.outcome() != Failure.Outcome.STALE) {
            return false;
        }
        Duration keep = failure.signIn().tenant().staleIfError();
        return keep == null || keep.isZero() || keep.isNegative();
    }

    /** Our own failures carry a crafted detail; for I/O errors only the exception type is safe to log. */
    private static String detail(Throwable caught) {
        for (Throwable cause = caught; cause != null; cause = cause.getCause()) {
            if (cause instanceof ProvisioningFailure) {
                return cause.getMessage();
            }
        }
        return caught == null ? "" : caught.getClass().getSimpleName();
    }
}
