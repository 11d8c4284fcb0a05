package org.provproxy.contacts;

import java.time.Instant;

/**
 * One directory as the app receives it: the contacts JSON (shaped once, shared by every user of the enterprise or
 * group), its ETag (the checksum of those bytes) and the time its content last changed. Held in the shared cache
 * ({@link Directories}) and as variable {@code directory}.
 *
 * @param gzip  the same JSON gzip-compressed, once (a 10,000-entry directory is some 4 MB, a tenth of that
 *              compressed): what an app accepting gzip receives
 * @param stale served while XSI fails: the last one read (stale-if-error)
 */
public record Directory(String key, byte[] json, byte[] gzip, String etag, Instant lastModified, int pages,
                        boolean stale) {

    /** This directory, answered while XSI fails. */
    public Directory servedStale() {
        return new Directory(key, json, gzip, etag, lastModified, pages, true);
    }

    @Override
    public String toString() {
        return "Directory[" + key + " " + json.length + " bytes, " + pages + " pages, etag=" + etag + "]";
    }
}
