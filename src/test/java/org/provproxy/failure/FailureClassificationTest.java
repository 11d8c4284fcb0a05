package org.provproxy.failure;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;

import org.apache.hc.core5.util.DeadlineTimeoutException;
import org.apache.hc.core5.util.Deadline;
import org.junit.jupiter.api.Test;

/** What an exception from the backend clients is to the app: trouble reaching the platform is never a 500. */
class FailureClassificationTest {

    @Test
    void waitingTooLongForAPooledConnectionIsTheBackendBeingUnavailable() {
        // what HttpClient's pool throws when a call waited for a free connection past its deadline (a storm)
        Exception leaseTimeout = DeadlineTimeoutException.from(Deadline.calculate(System.currentTimeMillis() - 5, org.apache.hc.core5.util.TimeValue.ZERO_MILLISECONDS));
        assertThat(FailurePolicy.classify(new RuntimeException(leaseTimeout))).isEqualTo(FailureKind.BACKEND_UNAVAILABLE);
        assertThat(FailurePolicy.classify(new ConnectException("refused"))).isEqualTo(FailureKind.BACKEND_UNAVAILABLE);
    }

    @Test
    void aBugIsStillInternal() {
        assertThat(FailurePolicy.classify(new IllegalStateException("bug"))).isEqualTo(FailureKind.INTERNAL);
    }
}
