package org.provproxy.backend;

import org.apache.camel.Variable;
import org.springframework.stereotype.Component;

/**
 * The questions routes/backend/backend-get.yaml asks of every backend answer, as bean predicates: a
 * ${variable.backendAnswer.status} in simple would make Camel build a bean expression per evaluation, for each of a
 * sign-in's four or five answers.
 */
@Component("answerChecks")
public class AnswerChecks {

    /** A 2xx: the document is read. */
    public boolean usable(@Variable("backendAnswer") BackendAnswer answer) {
        return answer.success();
    }

    /** A 403 that means "service not assigned" for this call: the part is left out. */
    public boolean notAssigned(@Variable("backendAnswer") BackendAnswer answer, @Variable("backendCall") BackendCall call) {
        return answer.notAssigned(call);
    }
}
