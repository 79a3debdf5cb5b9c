package io.peerwarden.core.firewall;

import java.util.List;
import java.util.Map;

/**
 * One rule of the agent's table. Its identity is {@link #id()}, a digest of its chain and expression carried as the
 * first word of its comment, so a rule read back from {@code nft -j list table} is recognised however nft prints
 * its expression.
 *
 * @param comment {@code <id> <what it is for>}, at most 127 bytes
 * @param expr    the nftables JSON expression list (null for a live rule: only its identity matters)
 * @param handle  nft's handle of a live rule, 0 for a desired one
 */
public record NftRule(String comment, List<Map<String, Object>> expr, long handle) {

    /** The identity: the comment's first word (empty when a rule has no comment: not one of ours). */
    public String id() {
        if (comment == null) {
            return "";
        }
        int space = comment.indexOf(' ');
        return space < 0 ? comment : comment.substring(0, space);
    }
}
