package io.peerwarden.core.plan;

import io.peerwarden.api.v1alpha1.Labels;
import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.core.net.AddressAllocator;
import io.peerwarden.core.net.AddressPool;
import io.peerwarden.core.net.AllowedIpIndex;
import io.peerwarden.core.net.Cidr;
import io.peerwarden.core.net.InvalidCidrException;
import io.peerwarden.core.validation.Problem;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.peerwarden.core.plan.SecretData.madeFor;
import static io.peerwarden.core.plan.SecretData.ours;

/**
 * Who holds which address in one instance's group. Claims go in seniority order, so the first
 * holder keeps an address: declared allowed IPs, addresses allocated earlier (the ledger, then the
 * Secret's record, then the status) and site subnets, with the subnets of senior site peers of
 * other instances on the same node taking part. Then the peers that still lack an address in some
 * pool get the lowest free one.
 */
final class AddressClaims {

    private final PlanContext context;
    private final PeerGuard guard;
    private final AllowedIpIndex<String> index;
    /** what the neighbour sites of other instances asked for, by owner (for {@link ClaimAttempts}) */
    final Map<String, List<Cidr>> neighbourAttempts = new LinkedHashMap<>();

    AddressClaims(PlanContext context, PeerGuard guard) {
        this(context, guard, new AllowedIpIndex<>());
    }

    /** Over an index kept from an earlier plan ({@link PlanMemory}): an incremental plan claims into it. */
    AddressClaims(PlanContext context, PeerGuard guard, AllowedIpIndex<String> index) {
        this.context = context;
        this.guard = guard;
        this.index = index;
    }

    AllowedIpIndex<String> index() {
        return index;
    }

    /** What one peer asks for in step 1: its declared allowed IPs, its recorded allocation and its site subnets. */
    record Wanted(List<Cidr> declared, List<Cidr> recorded, List<Cidr> subnets) {
        List<Cidr> all() {
            List<Cidr> all = new ArrayList<>(declared);
            all.addAll(recorded);
            all.addAll(subnets);
            return all;
        }
    }

    /** Step 1: claims in seniority order, {@code work} and {@code neighbourSites} merged by seniority. */
    void claim(List<PeerWork> work, List<VpnPeer> neighbourSites) {
        List<VpnPeer> neighbours = neighbourSites.stream().sorted(Seniority.ORDER).toList();
        int next = 0;
        for (PeerWork w : work) {
            while (next < neighbours.size() && Seniority.ORDER.compare(neighbours.get(next), w.peer) < 0) {
                VpnPeer neighbour = neighbours.get(next++);
                try {
                    claimNeighbourSubnets(neighbour);
                } catch (RuntimeException e) {
                    // a neighbour is its own instance's to plan (and report): one that cannot be read claims nothing here
                }
            }
            claimOne(w);
        }
        // the neighbours junior to every peer here claim nothing in this plan (a peer of this instance would win), but
        // what they ask for is remembered all the same: a peer added later, junior to them, collides with them, and an
        // incremental plan must see that and fall back to the full plan (which lets the neighbour win)
        for (; next < neighbours.size(); next++) {
            try {
                neighbourAttempts.put(neighbourOwner(neighbours.get(next)), parseQuietly(neighbours.get(next).getSpec().getSubnets()));
            } catch (RuntimeException e) {
                // as above: a neighbour that cannot be read claims nothing here
            }
        }
    }

    /** Step 1 for one peer. */
    void claimOne(PeerWork w) {
        guard.run(w, "address claims", () -> claimWanted(w, wanted(w)));
        releaseIfFailed(w);
    }

    /** Step 2: the lowest free address in each pool where a valid peer without declared addresses has none. */
    void allocate(List<PeerWork> work) {
        if (!context.usable()) {
            return;
        }
        List<AddressPool> pools = context.pools();
        List<AddressAllocator<String>> allocators = pools.stream().map(p -> new AddressAllocator<>(p, index)).toList();
        for (PeerWork w : work) {
            if (w.explicit || w.hasProblem()) {
                continue;
            }
            guard.run(w, "address allocation", () -> allocateOne(w, pools, allocators));
            releaseIfFailed(w);
        }
    }

    /** A peer that failed a step holds nothing: later peers are planned as if it were not there. */
    private void releaseIfFailed(PeerWork w) {
        if (w.failed()) {
            index.release(w.key);
        }
    }

    private void allocateOne(PeerWork w, List<AddressPool> pools, List<AddressAllocator<String>> allocators) {
        for (int i = 0; i < pools.size(); i++) {
            AddressPool pool = pools.get(i);
            if (w.addresses.stream().anyMatch(pool::contains)) {
                continue;
            }
            Optional<Cidr> address = allocators.get(i).allocate(w.key);
            if (address.isEmpty()) {
                w.problems.add(new Problem(Reasons.POOL_EXHAUSTED, "spec.allowedIPs",
                        "The address pool " + pool.network() + " of VpnInstance " + context.instanceName()
                                + " has no free address left: delete unused peers or give the instance a larger prefix."));
                w.exhausted = true;
                break;
            }
            w.addresses.add(address.get());
            w.allocated = true;
        }
    }

    private void claimNeighbourSubnets(VpnPeer neighbour) {
        List<Cidr> subnets = parseQuietly(neighbour.getSpec().getSubnets());
        String owner = neighbourOwner(neighbour);
        neighbourAttempts.put(owner, subnets);
        // an invalid neighbour, or one its own instance's plan refused (a lost collision there), is never
        // passed here (NodePlacement.neighbourSites); one that loses to a senior claim here claims nothing
        index.claim(owner, subnets);
    }

    private static String neighbourOwner(VpnPeer neighbour) {
        return Seniority.key(neighbour) + " (of VpnInstance " + neighbour.getSpec().getInstanceRef().getName() + " on the same node)";
    }

    /**
     * What {@code w} asks for (and whether its addresses are its own choice), without claiming anything: an
     * incremental plan checks it against the other peers' claims before claiming.
     */
    Wanted wanted(PeerWork w) {
        if (w.notAllowed) {
            // a peer the instance does not admit reserves nothing against the peers it does admit
            return new Wanted(List.of(), List.of(), List.of());
        }
        List<Cidr> declared = new ArrayList<>();
        List<Cidr> recorded = new ArrayList<>();
        if (w.spec.getAllowedIPs() != null && !w.spec.getAllowedIPs().isEmpty()) {
            w.explicit = true;
            if (!w.hasProblem("spec.allowedIPs")) {
                declared.addAll(parseAll(w.spec.getAllowedIPs()));
            }
        } else {
            // a record that no longer fits (the instance changed its pools or moved its server address
            // onto it) is dropped: the peer gets a fresh allocation instead of the server's address
            recorded.addAll(recordedAddresses(w.peer).stream()
                    .filter(c -> context.pools().stream().anyMatch(p -> p.contains(c) && !p.containsReserved(c)))
                    .toList());
        }
        List<Cidr> subnets = new ArrayList<>();
        if (!w.hasProblem("spec.subnets")) {
            subnets.addAll(parseAll(w.spec.siteSubnets()));
        }
        return new Wanted(declared, recorded, subnets);
    }

    /** Step 1 for one peer: claims what it wants; conflicts become its problems (or a fresh allocation). */
    void claimWanted(PeerWork w, Wanted want) {
        List<Cidr> declared = want.declared();
        List<Cidr> recorded = want.recorded();
        List<Cidr> subnets = want.subnets();
        List<Cidr> wanted = want.all();
        w.attempted = wanted;
        if (wanted.isEmpty()) {
            return;
        }
        List<AllowedIpIndex.Conflict<String>> conflicts = index.claim(w.key, wanted);
        if (conflicts.isEmpty()) {
            w.addresses.addAll(declared);
            w.addresses.addAll(recorded);
            return;
        }
        w.contested = true;
        if (conflicts.stream().allMatch(c -> recorded.contains(c.requested()))) {
            conflicts = reclaimAfterLosingRecorded(w, recorded, subnets, conflicts);
        }
        for (AllowedIpIndex.Conflict<String> conflict : conflicts) {
            String field = declared.contains(conflict.requested()) ? "spec.allowedIPs" : "spec.subnets";
            w.problems.add(new Problem(Reasons.ALLOWED_IP_TAKEN, field,
                    "Allowed IP already taken by another peer: " + conflict.requested() + " in " + field + " overlaps "
                            + conflict.holder().cidr() + " held by VpnPeer " + conflict.holder().owner()
                            + ". Choose a free range" + (field.equals("spec.allowedIPs") ? " or remove spec.allowedIPs to get one allocated." : ".")));
        }
    }

    /**
     * An address the operator allocated (never the user's choice) lost to a senior peer that declared
     * it: keep the recorded addresses that are still free (a dual-stack peer keeps its other family)
     * and leave the lost one to a fresh allocation instead of failing the peer.
     *
     * @return the conflicts left to report (none when the rest could be claimed)
     */
    private List<AllowedIpIndex.Conflict<String>> reclaimAfterLosingRecorded(PeerWork w, List<Cidr> recorded, List<Cidr> subnets,
                                                                          List<AllowedIpIndex.Conflict<String>> lost) {
        List<Cidr> kept = recorded.stream().filter(r -> lost.stream().noneMatch(c -> c.requested().equals(r))).toList();
        List<Cidr> retry = new ArrayList<>(kept);
        retry.addAll(subnets);
        List<AllowedIpIndex.Conflict<String>> rest = index.claim(w.key, retry);
        if (rest.isEmpty()) {
            w.addresses.addAll(kept);
            return List.of();
        }
        return index.claim(w.key, subnets);
    }

    /** The peer's earlier allocation: this process's ledger first, then the Secret's record, then the status. */
    private List<Cidr> recordedAddresses(VpnPeer peer) {
        Optional<List<String>> fromLedger = context.ledger().get(peer.getMetadata().getUid());
        if (fromLedger.isPresent()) {
            return parseQuietly(fromLedger.get());
        }
        Optional<SecretLookup.SecretState> secret = context.secrets().find(peer.getMetadata().getNamespace(),
                Labels.peerConfigSecretName(peer.getMetadata().getName()));
        if (secret.isPresent() && ours(secret.get()) && madeFor(secret.get(), peer)) {
            String annotation = secret.get().annotations().get(Labels.ALLOWED_IPS_ANNOTATION);
            if (annotation != null && !annotation.isBlank()) {
                return parseQuietly(List.of(annotation.split(",")));
            }
        }
        if (peer.getStatus() != null && peer.getStatus().getAllowedIPs() != null) {
            return parseQuietly(peer.getStatus().getAllowedIPs());
        }
        return List.of();
    }

    private static List<Cidr> parseAll(List<String> values) {
        return values.stream().map(Cidr::parse).toList();
    }

    private static List<Cidr> parseQuietly(List<String> values) {
        List<Cidr> result = new ArrayList<>();
        for (String value : values) {
            try {
                result.add(Cidr.parse(value.trim()));
            } catch (InvalidCidrException e) {
                // a damaged record is ignored: the peer simply gets a fresh allocation
            }
        }
        return result;
    }
}
