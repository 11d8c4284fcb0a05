package org.provproxy.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The stand-in's enterprise directory: N users (10,000 in the bench) as XSI's {@code directories/Enterprise}
 * answers them, a page of at most 1,000 per call, honouring {@code start} and {@code results}. Made up once from a
 * fixed seed, so every run reads the same directory: some names not in ASCII (accents, Polish, Greek, Cyrillic,
 * CJK), an apostrophe or an ampersand to escape, numbers on most, an extension on all, a mobile, an e-mail, a title
 * and a department on some. Each page is kept as bytes once asked for, so serving it costs the stand-in a copy.
 */
final class BenchDirectory {

    static final String ENTERPRISE = "acme-sp";
    /** The most entries XSI puts on one page. */
    static final int PAGE_SIZE = 1000;
    private static final Pattern PARAM = Pattern.compile("(?:^|&)(start|results)=(\\d+)");
    private static final String[] FIRST = {"Alice", "Bob", "Carol", "David", "Emma", "Frank", "Grace", "Henry",
            "Isabel", "Jack", "Karen", "Liam", "Maria", "Noah", "Olivia", "Peter", "Rachel", "Samuel", "Tina",
            "Victor", "José", "Zoë", "Björn", "Ágnes", "Łukasz", "François", "Søren", "Çağla", "Дмитрий", "Ελένη",
            "美咲", "Mónica", "Jürgen", "Siân", "Renée"};
    private static final String[] LAST = {"Smith", "Johnson", "Brown", "Taylor", "Miller", "Wilson", "Davis",
            "Clark", "Lewis", "Walker", "Young", "King", "O'Brien", "D'Angelo", "Müller", "Øvrebø", "Núñez", "Dvořák",
            "Çelik", "Wiśniewska", "Nguyễn", "Иванова", "Παπαδόπουλος", "田中", "Lindström", "García", "Šimić"};
    private static final String[] TITLES = {"Engineer", "Senior Engineer", "Account Manager", "Director",
            "Support Specialist", "Chief Financial Officer", "Receptionist", "Product Owner", "Ingénieure"};
    private static final String[] DEPARTMENTS = {"R&D", "Sales & Marketing", "Support", "Finance", "Operations",
            "Human Resources", "Legal", "Front Desk", "Logística"};
    private static final int GROUPS = 25;

    private final List<String> entries;
    private final Map<String, byte[]> pages = new ConcurrentHashMap<>();

    BenchDirectory(int size) {
        Random random = new Random(20261126L);
        List<String> made = new ArrayList<>(size);
        for (int i = 1; i <= size; i++) {
            made.add(entry(i, random));
        }
        entries = List.copyOf(made);
        // the pages the proxy asks for (start=1, 1001, ... results=1000), made before any load
        for (int start = 1; start <= size; start += PAGE_SIZE) {
            page("start=" + start + "&results=" + PAGE_SIZE);
        }
    }

    int size() {
        return entries.size();
    }

    /** Pages of {@link #PAGE_SIZE} the whole directory takes: the calls of one walk. */
    int pages() {
        return Math.max(1, (entries.size() + PAGE_SIZE - 1) / PAGE_SIZE);
    }

    /** The page the query ({@code start=..&results=..}, 1-based) asks for: XSI's defaults when absent. */
    byte[] page(String query) {
        int start = 1;
        int results = PAGE_SIZE;
        Matcher m = PARAM.matcher(query == null ? "" : query);
        while (m.find()) {
            int value = Integer.parseInt(m.group(2));
            if (m.group(1).equals("start")) {
                start = Math.max(1, value);
            } else {
                results = value;
            }
        }
        int count = Math.max(0, Math.min(Math.min(results, PAGE_SIZE), entries.size() - start + 1));
        int first = start;
        return pages.computeIfAbsent(first + "/" + count, key -> render(first, count));
    }

    private byte[] render(int start, int count) {
        StringBuilder xml = new StringBuilder(count * 450 + 300);
        xml.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Enterprise xmlns=\"http://schema.broadsoft.com/xsi\">")
                .append("<startIndex>").append(start).append("</startIndex>")
                .append("<numberOfRecords>").append(count).append("</numberOfRecords>")
                .append("<totalAvailableRecords>").append(entries.size()).append("</totalAvailableRecords>")
                .append("<enterpriseDirectory>");
        for (int i = start - 1; i < start - 1 + count; i++) {
            xml.append(entries.get(i));
        }
        xml.append("</enterpriseDirectory></Enterprise>");
        return xml.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String entry(int i, Random random) {
        String userId = String.format("u%05d@acme.example", i);
        String first = FIRST[random.nextInt(FIRST.length)];
        String last = LAST[random.nextInt(LAST.length)];
        int group = random.nextInt(GROUPS);
        StringBuilder e = new StringBuilder(450).append("<directoryDetails>");
        element(e, "userId", userId);
        element(e, "firstName", first);
        element(e, "lastName", last);
        element(e, "groupId", "acme-group-" + (group + 1));
        // a few without a number (extension only), as virtual or lobby users often are
        if (random.nextInt(10) != 0) {
            element(e, "number", String.format("+1-20255%05d", i));
        }
        element(e, "extension", Integer.toString(10000 + i));
        e.append("<additionalDetails>");
        if (random.nextInt(2) == 0) {
            element(e, "mobile", String.format("+1-91755%05d", random.nextInt(100000)));
        }
        if (random.nextInt(100) < 85) {
            element(e, "emailAddress", String.format("user%05d@acme.example", i));
        }
        if (random.nextInt(100) < 60) {
            element(e, "title", TITLES[random.nextInt(TITLES.length)]);
        }
        if (random.nextInt(100) < 70) {
            element(e, "department", DEPARTMENTS[random.nextInt(DEPARTMENTS.length)]);
        }
        e.append("</additionalDetails></directoryDetails>");
        return e.toString();
    }

    private static void element(StringBuilder xml, String name, String value) {
        xml.append('<').append(name).append('>');
        for (int c = 0; c < value.length(); c++) {
            char ch = value.charAt(c);
            switch (ch) {
                case '&' -> xml.append("&amp;");
                case '<' -> xml.append("&lt;");
                case '>' -> xml.append("&gt;");
                case '\'' -> xml.append("&apos;");
                default -> xml.append(ch);
            }
        }
        xml.append("</").append(name).append('>');
    }
}
