package org.provproxy.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.provproxy.ops.SampleCase.ResourceName;

/** The sample format's query-dependent backend answers: names with {@code @}, and which answer a query gets. */
class SampleCaseTest {

    @TempDir
    Path samples;

    @Test
    void aNameWithoutAtAnswersAnyQuery() {
        ResourceName plain = ResourceName.parse("xsi/directories/Enterprise");
        assertThat(plain.path()).isEqualTo("xsi/directories/Enterprise");
        assertThat(plain.query()).isEmpty();
        assertThat(plain.matches(ResourceName.parseQuery("start=1001&results=1000"))).isTrue();
        assertThat(plain.matches(ResourceName.parseQuery(null))).isTrue();
    }

    @Test
    void theAtPartNamesParametersAndValuesDecoded() {
        ResourceName page = ResourceName.parse("xsi/directories/Enterprise@start=1001,results=1000");
        assertThat(page.path()).isEqualTo("xsi/directories/Enterprise");
        assertThat(page.query()).containsExactlyInAnyOrderEntriesOf(Map.of("start", "1001", "results", "1000"));
        assertThat(page).isEqualTo(ResourceName.parse("xsi/directories/Enterprise@results=1000,start=1001"));
        assertThat(page).hasToString("xsi/directories/Enterprise@results=1000,start=1001");

        ResourceName search = ResourceName.parse("xsi/directories/Group@name=Smith%2C+J%40x,empty=");
        assertThat(search.query()).containsExactlyInAnyOrderEntriesOf(Map.of("name", "Smith, J@x", "empty", ""));
        assertThat(ResourceName.parse(search.toString())).isEqualTo(search);
    }

    @Test
    void aQueryMatchesWhenItHasEveryParameterOfTheName() {
        ResourceName page = ResourceName.parse("xsi/directories/Enterprise@start=1001");
        assertThat(page.matches(ResourceName.parseQuery("start=1001&results=1000"))).isTrue();
        assertThat(page.matches(ResourceName.parseQuery("results=1000&start=1001"))).isTrue();
        assertThat(page.matches(ResourceName.parseQuery("start=1"))).isFalse();
        assertThat(page.matches(ResourceName.parseQuery("results=1000"))).isFalse();
        assertThat(page.matches(ResourceName.parseQuery("start=10010"))).isFalse();
        assertThat(page.matches(ResourceName.parseQuery(""))).isFalse();
        // compared decoded, whichever way the request encodes
        ResourceName search = ResourceName.parse("xsi/directories/Group@name=Smith%2C+J");
        assertThat(search.matches(ResourceName.parseQuery("name=Smith%2C%20J"))).isTrue();
        assertThat(search.matches(ResourceName.parseQuery("name=Smith,+J"))).isTrue();
        assertThat(search.matches(ResourceName.parseQuery("name=Smith"))).isFalse();
        assertThat(ResourceName.parseQuery("a=1&a=2&b&c=%zz"))
                .isEqualTo(Map.of("a", List.of("1", "2"), "b", List.of("")));
    }

    @Test
    void aRecordedAnswerIsNamedByTheParametersThatTellItApart() {
        assertThat(ResourceName.answering("xsi/directories/Group", "start=1001&results=1000", "start"))
                .hasToString("xsi/directories/Group@start=1001")
                .isEqualTo(ResourceName.parse("xsi/directories/Group@start=1001"));
        assertThat(ResourceName.answering("xsi/directories/Group", "results=1000&start=1", "start"))
                .hasToString("xsi/directories/Group@start=1");
        assertThat(ResourceName.answering("xsi/directories/Group", "name=Smith%2C+J&start=1", "name", "start"))
                .hasToString("xsi/directories/Group@name=Smith%2C+J,start=1");
        assertThat(ResourceName.answering("xsi/profile", null, "start")).hasToString("xsi/profile");
        assertThat(ResourceName.answering("xsi/profile", "results=10", "start")).hasToString("xsi/profile");
        assertThat(ResourceName.answering("dms/bc-mobile/config.xml", "start=1", "start"))
                .hasToString("dms/bc-mobile/config.xml");
    }

    @Test
    void storedQueryKeysAreWrittenPlainlyAndReadBack() throws IOException {
        java.util.Properties stored = new java.util.Properties();
        stored.setProperty("xsi/directories/Enterprise@start=1001.status", "403");
        stored.setProperty("xsi/profile.status", "401");
        stored.setProperty("xsi.user", "a=b@acme.example");
        java.io.StringWriter out = new java.io.StringWriter();
        stored.store(out, null);
        String plain = SampleCase.plainQueryKeys(out.toString());
        assertThat(plain.lines()).contains("xsi/directories/Enterprise@start=1001.status=403",
                "xsi/profile.status=401", "xsi.user=a\\=b@acme.example");
        java.util.Properties read = new java.util.Properties();
        read.load(new java.io.StringReader(SampleCase.escapeQueryKeys(plain)));
        assertThat(read).isEqualTo(stored);
    }

    @Test
    void aMalformedAtPartIsRefusedSayingHowToWriteIt() {
        for (String name : new String[] {"xsi/directories/Enterprise@", "xsi/directories/Enterprise@start",
            "xsi/directories/Enterprise@=1001", "xsi/directories/Enterprise@start=1001,",
            "xsi/directories/Enterprise@start=1001,,results=1", "xsi/directories/Enterprise@start=1=2",
            "xsi/directories/Enterprise@start=1@results=2", "xsi/directories/Enterprise@start=1,start=2",
            "xsi/directories/Enterprise@start=%zz", "xsi/directories@start=1/Enterprise", "xsi/@start=1"}) {
            assertThatThrownBy(() -> ResourceName.parse(name)).as(name).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(name).hasMessageContaining("<resource>@<name>=<value>");
        }
    }

    @Test
    void dmsFileNamesAreTakenAsTheyAre() {
        ResourceName file = ResourceName.parse("dms/bc@mobile/config.xml");
        assertThat(file.path()).isEqualTo("dms/bc@mobile/config.xml");
        assertThat(file.query()).isEmpty();
    }

    @Test
    void aRequestGetsTheMostSpecificAnswerItsQueryMatches() throws IOException {
        SampleCase sample = SampleCase.load(PagedDirectoryCase.write(samples));
        String enterprise = "xsi/directories/Enterprise";

        assertThat(page(sample.answer(enterprise, "start=1001&results=1000", "b"))).isEqualTo("second");
        assertThat(page(sample.answer(enterprise, "start=1&results=1000", "b"))).isEqualTo("first");
        assertThat(page(sample.answer(enterprise, null, "b"))).isEqualTo("first");
        assertThat(page(sample.answer(enterprise, "start=2001&results=1000", "b"))).isEqualTo("third of 1000");
        assertThat(page(sample.answer(enterprise, "start=2001&results=50", "b"))).isEqualTo("third");
        assertThat(page(sample.answer("xsi/directories/Group", "name=Smith%2C%20J", "b"))).isEqualTo("smith");
        assertThat(page(sample.answer("xsi/directories/Group", "start=1001", "b"))).isEqualTo("group");
        assertThat(sample.answer("xsi/directories/Department", "start=1", "b")).isEmpty();
        // a request's path never names an answer itself
        assertThat(sample.answer(enterprise + "@start=1001", null, "b")).isEmpty();

        // backend.properties: a status of its own, the = plain or escaped, delay and status on one page
        SampleCase.Answer refused = sample.answer(enterprise, "results=1000&start=3001", "b").orElseThrow();
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.body()).isEmpty();
        SampleCase.Answer slow = sample.answer(enterprise, "start=4001", "b").orElseThrow();
        assertThat(slow.status()).isEqualTo(503);
        assertThat(slow.delayMs()).isEqualTo(20);
        SampleCase.Answer named = sample.answer(enterprise + "@start=4001", "b").orElseThrow();
        assertThat(named.status()).isEqualTo(503);
        assertThat(named.delayMs()).isEqualTo(20);
    }

    @Test
    void resourcesListEveryAnswerByItsName() throws IOException {
        SampleCase sample = SampleCase.load(PagedDirectoryCase.write(samples));

        Map<String, SampleCase.Answer> resources = sample.resources("http://stand-in");

        assertThat(resources).containsOnlyKeys("xsi/directories/Enterprise", "xsi/directories/Enterprise@start=1001",
                "xsi/directories/Enterprise@results=1000,start=2001", "xsi/directories/Enterprise@start=2001",
                "xsi/directories/Enterprise@start=3001", "xsi/directories/Enterprise@start=4001",
                "xsi/directories/Group", "xsi/directories/Group@name=Smith%2C+J");
        assertThat(resources.get("xsi/directories/Enterprise@start=3001").status()).isEqualTo(403);
        assertThat(resources.get("xsi/directories/Enterprise@start=1001").contentType())
                .isEqualTo("application/xml;charset=UTF-8");
        // the existing samples' names are unchanged
        SampleCase existing = SampleCase.load(Path.of("samples/global-not-modified"));
        assertThat(existing.resources("http://stand-in")).containsKeys("xsi/profile/Device",
                "xsi/services/BusyLampField", "xsi/services/SpeedDial8");
    }

    @Test
    void aMalformedFileOrKeyIsRefusedNamingTheCase() throws IOException {
        Path folder = PagedDirectoryCase.write(samples);
        PagedDirectoryCase.write(folder, Map.of("backend/xsi/directories/Enterprise@start.xml", "<x/>"));
        SampleCase sample = SampleCase.load(folder);
        assertThatThrownBy(() -> sample.resources("b")).hasMessageContaining("sample paged")
                .hasMessageContaining("Enterprise@start\"");
        assertThatThrownBy(() -> sample.answer("xsi/directories/Enterprise", "start=1", "b"))
                .isInstanceOf(IllegalArgumentException.class);

        Path other = samples.resolve("other");
        PagedDirectoryCase.write(other, Map.of("backend.properties", "xsi/directories/Enterprise@start=1001=403\n"));
        assertThatThrownBy(() -> SampleCase.load(other).resources("b")).hasMessageContaining("sample other")
                .hasMessageContaining("names no setting");
    }

    @Test
    void twoEquallySpecificAnswersOneRequestCouldMatchAreRefused() throws IOException {
        Path folder = samples.resolve("ambiguous");
        PagedDirectoryCase.write(folder, Map.of(
                "backend/xsi/directories/Enterprise@start=1.xml", PagedDirectoryCase.page("a"),
                "backend/xsi/directories/Enterprise@results=1000.xml", PagedDirectoryCase.page("b")));
        SampleCase sample = SampleCase.load(folder);

        assertThatThrownBy(() -> sample.resources("b")).hasMessageContaining("equally specific");
        assertThatThrownBy(() -> sample.answer("xsi/directories/Enterprise", "start=1&results=1000", "b"))
                .hasMessageContaining("equally specific");
    }

    @Test
    void theEqualsOfAQueryPartNeedNoBackslashInBackendProperties() {
        assertThat(SampleCase.escapeQueryKeys("xsi/directories/Enterprise@start=1001,results=1000.status=403\n"
                + "  xsi/directories/Group@start\\=1.delay-ms 2500\n"
                + "# xsi/directories/Enterprise@start=1.status=403\n"
                + "xsi.user=alice@acme.example\n"
                + "xsi/profile.status=500\n"))
                .isEqualTo("xsi/directories/Enterprise@start\\=1001,results\\=1000.status=403\n"
                        + "  xsi/directories/Group@start\\=1.delay-ms 2500\n"
                        + "# xsi/directories/Enterprise@start=1.status=403\n"
                        + "xsi.user=alice@acme.example\n"
                        + "xsi/profile.status=500\n");
    }

    @Test
    void expectedJsonAndPrimeAreRead() throws IOException {
        Path folder = samples.resolve("json");
        PagedDirectoryCase.write(folder, Map.of("request.properties", "prime=true\n", "expected.json", "[]"));
        SampleCase sample = SampleCase.load(folder);
        assertThat(sample.prime()).isTrue();
        assertThat(sample.expectedJson()).contains(folder.resolve("expected.json"));
        assertThat(SampleCase.load(Path.of("samples/global-not-modified")).prime()).isFalse();
        assertThat(SampleCase.load(Path.of("samples/global-not-modified")).expectedJson()).isEmpty();
    }

    private static String page(Optional<SampleCase.Answer> answer) {
        String body = new String(answer.orElseThrow().body(), StandardCharsets.UTF_8);
        return body.substring(body.indexOf("<page>") + 6, body.indexOf("</page>"));
    }
}
