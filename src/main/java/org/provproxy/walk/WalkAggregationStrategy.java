package org.provproxy.walk;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * Joins the parallel branches of a walk. The branches write their documents into the shared {@link Walk}
 * themselves; this keeps a branch's failure as data in the walk (the first in branch order, so the answer does
 * not depend on which call was slower), raised again by {@link WalkDocumentBuilder}: an exception crossing the
 * multicast itself would reach the endpoint route marked as already handled, and skip its error mapping.
 */
@Component("walkAggregation")
public class WalkAggregationStrategy implements AggregationStrategy {

    @Override
    public Exchange aggregate(Exchange result, Exchange branch) {
        Throwable failure = branch.getException();
        if (failure != null) {
            branch.setException(null);
            branch.getVariable("walk", Walk.class).failed(failure);
        }
        return result == null ? branch : result;
    }
}
