package org.provproxy.ops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A sample folder whose XSI directory answers depend on the query (written by the tests, not kept in samples/):
 * {@code directories/Enterprise} paged by {@code start}, one page refused with 403 in backend.properties, and
 * {@code directories/Group} with one answer whatever the query but a search by name (its value URL-encoded).
 */
public final class PagedDirectoryCase {

    public static final String USER = "paged@demo.example";
    public static final String PASSWORD = "x-fake-portal-paged";

    private PagedDirectoryCase() {
    }

    /** Writes the case as folder {@code paged} under {@code samples}; returns the folder. */
    public static Path write(Path samples) throws IOException {
        Path folder = samples.resolve("paged");
        write(folder, Map.of(
                "request.properties", "path=/services/contacts\n",
                "expected.properties", "status=200\n",
                "backend.properties", """
                        xsi.user=%s
                        xsi.password=%s
                        # the = of the query part written plainly, or escaped as Properties wants it
                        xsi/directories/Enterprise@start=3001.status=403
                        xsi/directories/Enterprise@start\\=4001.status=503
                        xsi/directories/Enterprise@start=4001.delay-ms = 20
                        """.formatted(USER, PASSWORD),
                "backend/xsi/directories/Enterprise.xml", page("first"),
                "backend/xsi/directories/Enterprise@start=1001.xml", page("second"),
                "backend/xsi/directories/Enterprise@results=1000,start=2001.xml", page("third of 1000"),
                "backend/xsi/directories/Enterprise@start=2001.xml", page("third"),
                "backend/xsi/directories/Group@name=Smith%2C+J.xml", page("smith"),
                "backend/xsi/directories/Group.xml", page("group")));
        return folder;
    }

    /** A directory page saying which one it is. */
    public static String page(String which) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Enterprise xmlns=\"http://schema.broadsoft.com/xsi\">"
                + "<page>" + which + "</page></Enterprise>\n";
    }

    public static void write(Path folder, Map<String, String> files) throws IOException {
        for (Map.Entry<String, String> file : files.entrySet()) {
            Path path = folder.resolve(file.getKey());
            Files.createDirectories(path.getParent());
            Files.writeString(path, file.getValue(), StandardCharsets.UTF_8);
        }
    }
}
