package org.provproxy.contacts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import net.sf.saxon.s9api.XdmNode;
import org.apache.camel.Body;
import org.apache.camel.Variable;
import org.provproxy.backend.BackendCall;
import org.provproxy.backend.BackendCalls;
import org.provproxy.request.SignIn;
import org.provproxy.shaping.XmlTrees;
import org.provproxy.walk.Walk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The pages of a directory walk (routes/walk/directory-walk.yaml): the first page says how many entries there are
 * ({@code totalAvailableRecords}) and how many XSI puts on a page ({@code numberOfRecords}: XSI may serve fewer
 * than the 1,000 asked for); the others are then fetched at once. Each page is kept in the walk as part
 * {@code page-<start>}.
 */
@Component("directoryPages")
public class DirectoryPages {

    /** The most entries XSI serves on one page. */
    static final int PAGE_SIZE = 1000;
    private static final String PART = "page-";
    private static final Pattern START = Pattern.compile("(?:^|&)start=(\\d+)");
    private static final Logger LOG = LoggerFactory.getLogger(DirectoryPages.class);

    private final BackendCalls calls;

    public DirectoryPages(BackendCalls calls) {
        this.calls = calls;
    }

    /** The first page. */
    public BackendCall first(@Variable("signIn") SignIn signIn, @Variable("directoryScope") DirectoryScope scope) {
        return page(signIn, scope, 1, Math.min(PAGE_SIZE, scope.maxEntries()));
    }

    /**
     * The calls for every page after the first, as far as the first page's total (and the tenant's max-entries)
     * reaches; none when the first page was the whole directory or the directory is not available (403).
     */
    public List<BackendCall> rest(@Variable("signIn") SignIn signIn, @Variable("directoryScope") DirectoryScope scope,
                                  @Variable("walk") Walk walk) {
        XdmNode first = walk.part(part(1)).orElse(null);
        if (first == null) {
            return List.of();
        }
        int total = number(first, "totalAvailableRecords");
        int onPage = number(first, "numberOfRecords");
        int step = onPage > 0 ? Math.min(onPage, PAGE_SIZE) : PAGE_SIZE;
        int wanted = Math.min(total, scope.maxEntries());
        if (total > scope.maxEntries()) {
            LOG.warn("directory {} has {} entries: only the first {} are served (tenant directory.max-entries)",
                    scope.key(), total, scope.maxEntries());
        }
        List<BackendCall> rest = new ArrayList<>();
        for (int start = 1 + step; start <= wanted; start += step) {
            rest.add(page(signIn, scope, start, Math.min(step, wanted - start + 1)));
        }
        return rest;
    }

    /** Keeps the page {@code call} fetched (null: the directory is not available to the user). */
    public void keep(@Variable("walk") Walk walk, @Variable("backendCall") BackendCall call, @Body XdmNode page) {
        walk.keep(part(start(call)), page);
    }

    /** The pages kept, in directory order. */
    public static List<XdmNode> pages(Walk walk) {
        return walk.parts().entrySet().stream().filter(e -> e.getKey().startsWith(PART))
                .sorted(Map.Entry.comparingByKey((a, b) -> Integer.compare(start(a), start(b))))
                .map(Map.Entry::getValue).toList();
    }

    private BackendCall page(SignIn signIn, DirectoryScope scope, int start, int results) {
        return calls.directoryPage(signIn, scope.kind().resource(), scope.kind().root(), start, results, scope.user(),
                scope.password());
    }

    private static String part(int start) {
        return PART + start;
    }

    private static int start(String part) {
        return Integer.parseInt(part.substring(PART.length()));
    }

    private static int start(BackendCall call) {
        Matcher m = START.matcher(call.query() == null ? "" : call.query());
        return m.find() ? Integer.parseInt(m.group(1)) : 1;
    }

    /** A count of the page's header; 0 when absent or unreadable (XSI pads some with blanks). */
    private static int number(XdmNode page, String name) {
        XdmNode node = XmlTrees.firstDescendant(page, name);
        try {
            return node == null ? 0 : Integer.parseInt(node.getStringValue().trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
