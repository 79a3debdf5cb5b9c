package io.peerwarden.core.render;

/** Fixed keys for golden texts (RFC 7748 6.1 vectors and two made-up 32-byte values). */
final class TestKeys {
    /** RFC 7748 Alice's private key. */
    static final String CLIENT_PRIVATE = "dwdtCnMYpX08FsFyUbJmRd9ML4frwJkqsXf7pR25LCo=";
    /** RFC 7748 Alice's public key. */
    static final String CLIENT_PUBLIC = "hSDwCYkwp1R0i33ctD73Wg2/Og0mOBr066SpjqqbTmo=";
    /** RFC 7748 Bob's public key. */
    static final String SERVER_PUBLIC = "3p7bfXt9wbTTW2HC7OQ1Nz+DQ8hbeGdNrfx+FG+IK08=";
    /** RFC 7748 Bob's private key. */
    static final String SERVER_PRIVATE = "XasIfmJKikt54X+Lg4AO5m87sSkmGLb9HC+LJ/+I4Os=";
    static final String PSK = "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=";
    static final String SITE_PUBLIC = "ZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1+f4CBgoM=";

    private TestKeys() {
    }
}
