package io.peerwarden.core.render;

/** Fixed keys for golden texts (RFC 7748 6.1 vectors and a made-up 32-byte value). */
final class TestKeys {
    /** RFC 7748 Alice's private key. */
    static final String CLIENT_PRIVATE = "dwdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LCo=";
    /** RFC 7748 Bob's public key. */
    static final String SERVER_PUBLIC = "3p7bfXt9wbTTW2HC7OQ1Nz+DQ8hbeGdNrfx+FG+IK08=";
    static final String PSK = "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=";

    private TestKeys() {
    }
}
