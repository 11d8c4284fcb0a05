package org.provproxy.walk;

import java.util.Map;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * Joins the parallel branches of the XSI walk: each branch leaves the documents it fetched in exchange properties
 * named {@code walk.<part>}; this copies them onto one exchange. A branch's failure is kept as data (property
 * {@value #FAILURE}, the first in branch order, so the answer does not depend on which call was slower) and
 * raised again by {@link WalkDocumentBuilder}: an exception crossing the multicast itself would reach the
 * endpoint route marked as already handled, and skip its error mapping.
 */
@Component("walkAggregation")
public class WalkAggregationStrategy implements AggregationStrategy {

    public static final String PREFIX = "walk.";
    static final String FAILURE = "walkFailure";

    @Override
    public Exchange aggregate(Exchange result, Exchange branch) {
        Throwable failure = branch.getException();
        branch.setException(null);
        if (result == null) {
            result = branch;
        } else {
            for (Map.Entry<String, Object> property : branch.getProperties().entrySet()) {
                if (property.getKey().startsWith(PREFIX)) {
                    result.setProperty(property.getKey(), property.getValue());
                }
            }
        }
        if (failure != null && result.getProperty(FAILURE) == null) {
            result.setProperty(FAILURE, failure);
        }
        return result;
    }
}
