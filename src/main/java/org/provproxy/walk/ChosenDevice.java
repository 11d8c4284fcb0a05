package org.provproxy.walk;

import net.sf.saxon.s9api.XdmNode;

/**
 * The access device whose profile file is downloaded: its name, the file's URL (the device type's folder plus
 * the platform's file name), the device credentials the DMS asks for, and the device as XSI listed it (the walk
 * document carries it as {@code chosen-device}, so the device is chosen once).
 *
 * @param credentialKey stands for user + password in cache keys (an HMAC)
 */
public record ChosenDevice(String name, String fileUrl, String user, String password, String credentialKey,
                           XdmNode accessDevice) {

    /** Cache key of this device's file with these credentials. */
    public String cacheKey() {
        return "dms|" + fileUrl + "|" + credentialKey;
    }

    @Override
    public String toString() {
        return "ChosenDevice[name=" + name + ", fileUrl=" + fileUrl + "]";
    }
}
