package io.peerwarden.core.plan;

import io.peerwarden.api.v1alpha1.ConditionTypes;
import io.peerwarden.api.v1alpha1.Labels;
import io.peerwarden.api.v1alpha1.PoolStatus;
import io.peerwarden.api.v1alpha1.PresharedKeySpec;
import io.peerwarden.api.v1alpha1.Reasons;
import io.peerwarden.api.v1alpha1.SecretKeyRef;
import io.peerwarden.api.v1alpha1.VpnInstance;
import io.peerwarden.api.v1alpha1.VpnInstanceSpec;
import io.peerwarden.api.v1alpha1.VpnPeer;
import io.peerwarden.api.v1alpha1.VpnPeerSpec;
import io.peerwarden.core.keys.WireGuardKeys;
import io.peerwarden.core.naming.InterfaceNames;
import io.peerwarden.core.net.AddressAllocator;
import io.peerwarden.core.net.AddressPool;
import io.peerwarden.core.net.AllowedIpIndex;
import io.peerwarden.core.net.Cidr;
import io.peerwarden.core.net.InvalidCidrException;
import io.peerwarden.core.render.ClientConfig;
import io.peerwarden.core.render.QrCodes;
import io.peerwarden.core.render.WgQuickConfigRenderer;
import io.peerwarden.core.status.Conditions;
import io.peerwarden.core.validation.InstanceSpecValidator;
import io.peerwarden.core.validation.PeerSpecValidator;
import io.peerwarden.core.validation.Problem;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Decides, as a pure function of the cluster state it is given, everything the operator writes for
 * an instance and its peers: validity, collisions (first holder by {@link Seniority} wins),
 * addresses, keys, rendered configs and conditions. The operator only reads its caches into this
 * and writes the differences out.
 */
public final class InstancePlanner {

    static final String DEFAULT_ROUTE_V4 = "0.0.0.0/0";
    static final String DEFAULT_ROUTE_V6 = "::/0";
    private static final int MAX_MESSAGE = 1000;

    private final KeySource keys;
    private final PeerSpecValidator peerValidator = new PeerSpecValidator();
    private final InstanceSpecValidator instanceValidator = new InstanceSpecValidator();

    public InstancePlanner(KeySource keys) {
        this.keys = keys;
    }

    /**
     * @param nodes          the cluster's nodes, or null when they cannot be read (placement is then taken on trust)
     * @param otherInstances every other instance the operator knows (for pool overlaps on the same node)
     */
    public InstancePlan plan(VpnInstance instance, Collection<VpnPeer> peers, SecretLookup secrets,
                             AllocationLedger ledger, List<NodeInfo> nodes, Collection<VpnInstance> otherInstances) {
        return plan(instance, peers, secrets, ledger, nodes, otherInstances, Map.of());
    }

    /**
     * @param peersOfOtherInstances the peers of other instances: the site subnets of those on the same
     *                              node are routed on the same host, so they take part in the
     *                              collision check (first holder by seniority wins across instances)
     */
    public InstancePlan plan(VpnInstance instance, Collection<VpnPeer> peers, SecretLookup secrets,
                             AllocationLedger ledger, List<NodeInfo> nodes, Collection<VpnInstance> otherInstances,
                             Map<String, ? extends Collection<VpnPeer>> peersOfOtherInstances) {
        VpnInstanceSpec spec = instance.getSpec() == null ? new VpnInstanceSpec() : instance.getSpec();
        String namespace = instance.getMetadata().getNamespace();
        String interfaceName = InterfaceNames.of(instance.getMetadata().getName(), spec);

        List<Problem> problems = new ArrayList<>(instanceValidator.validate(spec));
        List<AddressPool> pools = problems.isEmpty() ? instanceValidator.pools(spec) : List.of();

        InstanceKey key = resolveInstanceKey(instance, secrets);
        String nodeName = selectNode(instance, spec, nodes, problems);
        if (problems.isEmpty() && nodeName != null) {
            poolOverlap(instance, pools, nodeName, otherInstances).ifPresent(problems::add);
        }

        boolean usable = problems.isEmpty() && key.privateKey() != null;
        ConditionState problem = null;
        if (!problems.isEmpty()) {
            problem = new ConditionState(ConditionTypes.READY, Conditions.FALSE, problems.get(0).reason(), joinMessages(problems));
        } else if (key.privateKey() == null) {
            problem = new ConditionState(ConditionTypes.READY, Conditions.FALSE, key.condition().reason(), key.condition().message());
        }

        List<VpnPeer> neighbourSites = nodeName == null ? List.of()
                : neighbourSites(instance, nodeName, otherInstances, peersOfOtherInstances);
        PeersOutcome outcome = planPeers(instance, spec, pools, key.publicKey(), usable, problem, nodeName, peers, neighbourSites,
                secrets, ledger);

        List<PoolStatus> poolStatus = new ArrayList<>();
        for (AddressPool pool : pools) {
            PoolStatus ps = new PoolStatus();
            ps.setFamily(pool.isIPv4() ? "IPv4" : "IPv6");
            ps.setCidr(pool.network().toString());
            ps.setSize(pool.size().toString());
            ps.setAllocated(outcome.allocatedPerPool().getOrDefault(pool.network(), 0L));
            poolStatus.add(ps);
        }
        return new InstancePlan(usable, problem, key.condition(), key.publicKey(), nodeName, interfaceName, poolStatus,
                key.toCreate(), outcome.plans(), outcome.collisions());
    }

    // ---- instance ----------------------------------------------------------------------------

    private record InstanceKey(String privateKey, String publicKey, ConditionState condition, DesiredSecret toCreate) {
    }

    private InstanceKey resolveInstanceKey(VpnInstance instance, SecretLookup secrets) {
        String namespace = instance.getMetadata().getNamespace();
        SecretKeyRef ref = instance.getSpec() == null ? null : instance.getSpec().getPrivateKeySecretRef();
        if (ref != null) {
            String dataKey = ref.keyOr(Labels.PRIVATE_KEY);
            Optional<SecretLookup.SecretState> secret = secrets.find(namespace, ref.getName());
            if (secret.isEmpty()) {
                return new InstanceKey(null, null, keyProblem(Reasons.KEY_SECRET_NOT_FOUND,
                        "Secret " + ref.getName() + " named in spec.privateKeySecretRef does not exist: create it with the key "
                                + dataKey + " or remove the reference to have a key generated."), null);
            }
            return decodeKey(secret.get(), dataKey, "spec.privateKeySecretRef (Secret " + ref.getName() + ")", Reasons.KEY_FROM_SECRET,
                    "The private key is read from Secret " + ref.getName() + ".", null);
        }
        String name = Labels.instanceKeySecretName(instance.getMetadata().getName());
        Optional<SecretLookup.SecretState> existing = secrets.find(namespace, name);
        if (existing.isPresent() && !ours(existing.get())) {
            return new InstanceKey(null, null, keyProblem(Reasons.SECRET_NAME_TAKEN, "Secret " + name
                    + " exists but was not created by Peerwarden, which keeps a generated key under that name and never"
                    + " touches Secrets it did not create: rename that Secret, or reference it in spec.privateKeySecretRef."), null);
        }
        if (existing.isPresent()) {
            return decodeKey(existing.get(), Labels.PRIVATE_KEY, "Secret " + name, Reasons.KEY_GENERATED,
                    "The private key was generated into Secret " + name + ".", null);
        }
        String privateKey = keys.generatePrivateKey();
        String publicKey = keys.publicKeyOf(privateKey);
        Map<String, String> labels = Map.of(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE,
                Labels.INSTANCE, Labels.labelValue(instance.getMetadata().getName()), Labels.COMPONENT, Labels.COMPONENT_INSTANCE_KEY);
        Map<String, String> data = new LinkedHashMap<>();
        data.put(Labels.PRIVATE_KEY, b64(privateKey));
        data.put(Labels.PUBLIC_KEY, b64(publicKey));
        DesiredSecret toCreate = new DesiredSecret(namespace, name, labels,
                Map.of(Labels.INSTANCE_NAME_ANNOTATION, instance.getMetadata().getName()), data, null, true);
        return new InstanceKey(privateKey, publicKey, new ConditionState(ConditionTypes.KEY_READY, Conditions.TRUE,
                Reasons.KEY_GENERATED, "The private key was generated into Secret " + name + "."), toCreate);
    }

    private InstanceKey decodeKey(SecretLookup.SecretState secret, String dataKey, String where, String okReason,
                                  String okMessage, DesiredSecret toCreate) {
        String value = unb64(secret.data().get(dataKey));
        if (value == null) {
            return new InstanceKey(null, null, keyProblem(Reasons.KEY_SECRET_NOT_FOUND,
                    where + " has no key " + dataKey + ": add the base64 private key under that key."), null);
        }
        if (!WireGuardKeys.isValid(value.trim())) {
            return new InstanceKey(null, null, keyProblem(Reasons.INVALID_KEY,
                    "The value of " + dataKey + " in " + where + " is not a WireGuard key (32 bytes, base64): generate one with wg genkey."), null);
        }
        String privateKey = value.trim();
        return new InstanceKey(privateKey, keys.publicKeyOf(privateKey),
                new ConditionState(ConditionTypes.KEY_READY, Conditions.TRUE, okReason, okMessage), toCreate);
    }

    private static ConditionState keyProblem(String reason, String message) {
        return new ConditionState(ConditionTypes.KEY_READY, Conditions.FALSE, reason, message);
    }

    private String selectNode(VpnInstance instance, VpnInstanceSpec spec, List<NodeInfo> nodes, List<Problem> problems) {
        if (spec.getNodeName() != null && !spec.getNodeName().isBlank()) {
            if (nodes != null && nodes.stream().noneMatch(n -> n.name().equals(spec.getNodeName()))) {
                problems.add(new Problem(Reasons.NODE_NOT_FOUND, "spec.nodeName",
                        "Node " + spec.getNodeName() + " named in spec.nodeName does not exist: fix spec.nodeName or use spec.nodeSelector."));
                return null;
            }
            return spec.getNodeName();
        }
        Map<String, String> selector = spec.getNodeSelector();
        if (selector == null || selector.isEmpty() || nodes == null) {
            return instance.getStatus() == null ? null : instance.getStatus().getNodeName();
        }
        String current = instance.getStatus() == null ? null : instance.getStatus().getNodeName();
        List<NodeInfo> matching = nodes.stream()
                .filter(n -> selector.entrySet().stream().allMatch(e -> Objects.equals(n.labels().get(e.getKey()), e.getValue())))
                .sorted((a, b) -> a.name().compareTo(b.name()))
                .toList();
        if (matching.isEmpty()) {
            problems.add(new Problem(Reasons.NODE_NOT_FOUND, "spec.nodeSelector",
                    "No node matches spec.nodeSelector " + selector + ": label a node or change the selector."));
            return null;
        }
        // stay on the current node while it still matches: moving an interface drops every session
        return matching.stream().filter(n -> n.name().equals(current)).findFirst().orElse(matching.get(0)).name();
    }

    private Optional<Problem> poolOverlap(VpnInstance instance, List<AddressPool> pools, String nodeName,
                                          Collection<VpnInstance> others) {
        for (VpnInstance other : others.stream().sorted(Seniority.ORDER).toList()) {
            if (Seniority.ORDER.compare(other, instance) >= 0 || other.getSpec() == null) {
                continue;
            }
            String otherNode = other.getStatus() != null && other.getStatus().getNodeName() != null
                    ? other.getStatus().getNodeName() : other.getSpec().getNodeName();
            if (!nodeName.equals(otherNode) || !instanceValidator.validate(other.getSpec()).isEmpty()) {
                continue;
            }
            for (AddressPool mine : pools) {
                for (AddressPool theirs : instanceValidator.pools(other.getSpec())) {
                    if (mine.network().overlaps(theirs.network())) {
                        return Optional.of(new Problem(Reasons.POOL_OVERLAP, "spec.address",
                                "Pool " + mine.network() + " overlaps pool " + theirs.network() + " of VpnInstance "
                                        + Seniority.key(other) + " on the same node " + nodeName
                                        + ", which was there first: choose a different address range."));
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** Site peers of the other instances that run on the same node, with subnets. */
    private static List<VpnPeer> neighbourSites(VpnInstance instance, String nodeName, Collection<VpnInstance> others,
                                                Map<String, ? extends Collection<VpnPeer>> peersOfOtherInstances) {
        List<VpnPeer> sites = new ArrayList<>();
        for (VpnInstance other : others) {
            String otherNode = other.getStatus() != null && other.getStatus().getNodeName() != null
                    ? other.getStatus().getNodeName() : other.getSpec() == null ? null : other.getSpec().getNodeName();
            if (!nodeName.equals(otherNode) || other.getMetadata().getUid() != null
                    && other.getMetadata().getUid().equals(instance.getMetadata().getUid())) {
                continue;
            }
            Collection<VpnPeer> theirs = peersOfOtherInstances.get(Seniority.key(other));
            for (VpnPeer peer : theirs == null ? List.<VpnPeer>of() : theirs) {
                if (peer.getSpec() != null && peer.getSpec().isSite() && peer.getSpec().getSubnets() != null) {
                    sites.add(peer);
                }
            }
        }
        return sites;
    }

    // ---- peers -------------------------------------------------------------------------------

    private record PeersOutcome(List<PeerPlan> plans, int collisions, Map<Cidr, Long> allocatedPerPool) {
    }

    /** Working state of one peer while the group is planned. */
    private static final class PeerWork {
        final VpnPeer peer;
        final VpnPeerSpec spec;
        final String key;
        final List<Problem> problems = new ArrayList<>();
        final List<Cidr> addresses = new ArrayList<>();
        boolean explicit;
        boolean allocated;
        boolean exhausted;

        PeerWork(VpnPeer peer) {
            this.peer = peer;
            this.spec = peer.getSpec() == null ? new VpnPeerSpec() : peer.getSpec();
            this.key = Seniority.key(peer);
        }

        boolean hasProblem(String fieldPrefix) {
            return problems.stream().anyMatch(p -> p.field() != null && p.field().startsWith(fieldPrefix));
        }
    }

    private PeersOutcome planPeers(VpnInstance instance, VpnInstanceSpec instanceSpec, List<AddressPool> pools,
                                   String serverPublicKey, boolean usable, ConditionState instanceProblem, String nodeName,
                                   Collection<VpnPeer> peers, List<VpnPeer> neighbourSites, SecretLookup secrets,
                                   AllocationLedger ledger) {
        List<PeerWork> work = peers.stream().sorted(Seniority.ORDER).map(PeerWork::new).toList();
        AllowedIpIndex<String> index = new AllowedIpIndex<>();
        for (PeerWork w : work) {
            w.problems.addAll(peerValidator.validate(w.spec, pools));
        }

        // 1. claims in seniority order: the first holder keeps an address. Site subnets of other
        // instances on this node take part, since their routes live on the same host.
        List<VpnPeer> neighbours = neighbourSites.stream().sorted(Seniority.ORDER).toList();
        int next = 0;
        for (PeerWork w : work) {
            while (next < neighbours.size() && Seniority.ORDER.compare(neighbours.get(next), w.peer) < 0) {
                claimNeighbourSubnets(neighbours.get(next++), index);
            }
            claimDeclaredAndRecorded(w, pools, secrets, ledger, index);
        }
        // 2. allocation for the peers that still lack an address in some pool
        List<AddressAllocator<String>> allocators = pools.stream().map(p -> new AddressAllocator<>(p, index)).toList();
        if (usable) {
            for (PeerWork w : work) {
                if (w.explicit || !w.problems.isEmpty()) {
                    continue;
                }
                for (int i = 0; i < pools.size(); i++) {
                    AddressPool pool = pools.get(i);
                    if (w.addresses.stream().anyMatch(a -> pool.contains(a))) {
                        continue;
                    }
                    Optional<Cidr> address = allocators.get(i).allocate(w.key);
                    if (address.isEmpty()) {
                        w.exhausted = true;
                        w.problems.add(new Problem(Reasons.POOL_EXHAUSTED, "spec.allowedIPs",
                                "The address pool " + pool.network() + " of VpnInstance " + instance.getMetadata().getName()
                                        + " has no free address left: delete unused peers or give the instance a larger prefix."));
                        break;
                    }
                    w.addresses.add(address.get());
                    w.allocated = true;
                }
            }
        }

        // 3. keys, rendering and conditions
        List<PeerPlan> plans = new ArrayList<>();
        int collisions = 0;
        Map<Cidr, Long> allocatedPerPool = new HashMap<>();
        for (PeerWork w : work) {
            if (w.problems.stream().anyMatch(p -> Reasons.ALLOWED_IP_TAKEN.equals(p.reason()))) {
                collisions++;
            }
            for (AddressPool pool : pools) {
                if (w.addresses.stream().anyMatch(pool::contains)) {
                    allocatedPerPool.merge(pool.network(), 1L, Long::sum);
                }
            }
            if (!w.addresses.isEmpty()) {
                ledger.record(w.peer.getMetadata().getUid(), w.addresses.stream().map(Cidr::toString).toList());
            }
            plans.add(planPeer(instance, instanceSpec, pools, serverPublicKey, usable, instanceProblem, nodeName, w, secrets));
        }
        return new PeersOutcome(plans, collisions, allocatedPerPool);
    }

    private static void claimNeighbourSubnets(VpnPeer neighbour, AllowedIpIndex<String> index) {
        List<Cidr> subnets = parseQuietly(neighbour.getSpec().getSubnets());
        String owner = Seniority.key(neighbour) + " (of VpnInstance " + neighbour.getSpec().getInstanceRef().getName()
                + " on the same node)";
        // an invalid or losing neighbour claims nothing here either; its own instance reports it
        index.claim(owner, subnets);
    }

    private void claimDeclaredAndRecorded(PeerWork w, List<AddressPool> pools, SecretLookup secrets, AllocationLedger ledger,
                                          AllowedIpIndex<String> index) {
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
            recorded.addAll(recordedAddresses(w.peer, secrets, ledger).stream()
                    .filter(c -> pools.stream().anyMatch(p -> p.contains(c) && !p.containsReserved(c)))
                    .toList());
        }
        List<Cidr> subnets = new ArrayList<>();
        if (w.spec.isSite() && w.spec.getSubnets() != null && !w.hasProblem("spec.subnets")) {
            subnets.addAll(parseAll(w.spec.getSubnets()));
        }
        List<Cidr> wanted = new ArrayList<>(declared);
        wanted.addAll(recorded);
        wanted.addAll(subnets);
        if (wanted.isEmpty()) {
            return;
        }
        List<AllowedIpIndex.Conflict<String>> conflicts = index.claim(w.key, wanted);
        if (conflicts.isEmpty()) {
            w.addresses.addAll(declared);
            w.addresses.addAll(recorded);
            return;
        }
        boolean onlyRecordedConflict = conflicts.stream().allMatch(c -> recorded.contains(c.requested()));
        if (onlyRecordedConflict) {
            // an address the operator allocated (never the user's choice) lost to a senior peer that
            // declared it: keep the recorded addresses that are still free (a dual-stack peer keeps
            // its other family) and allocate a fresh one for the lost one instead of failing the peer
            List<AllowedIpIndex.Conflict<String>> lost = conflicts;
            List<Cidr> kept = recorded.stream().filter(r -> lost.stream().noneMatch(c -> c.requested().equals(r))).toList();
            List<Cidr> retry = new ArrayList<>(kept);
            retry.addAll(subnets);
            List<AllowedIpIndex.Conflict<String>> rest = index.claim(w.key, retry);
            if (rest.isEmpty()) {
                w.addresses.addAll(kept);
                return;
            }
            rest = index.claim(w.key, subnets);
            if (rest.isEmpty()) {
                return;
            }
            conflicts = rest;
        }
        for (AllowedIpIndex.Conflict<String> conflict : conflicts) {
            String field = declared.contains(conflict.requested()) ? "spec.allowedIPs" : "spec.subnets";
            w.problems.add(new Problem(Reasons.ALLOWED_IP_TAKEN, field,
                    "Allowed IP already taken by another peer: " + conflict.requested() + " in " + field + " overlaps "
                            + conflict.holder().cidr() + " held by VpnPeer " + conflict.holder().owner()
                            + ". Choose a free range" + (field.equals("spec.allowedIPs") ? " or remove spec.allowedIPs to get one allocated." : ".")));
        }
    }

    /** The peer's earlier allocation: this process's ledger first, then the Secret's record, then the status. */
    private static List<Cidr> recordedAddresses(VpnPeer peer, SecretLookup secrets, AllocationLedger ledger) {
        Optional<List<String>> fromLedger = ledger.get(peer.getMetadata().getUid());
        if (fromLedger.isPresent()) {
            return parseQuietly(fromLedger.get());
        }
        Optional<SecretLookup.SecretState> secret = secrets.find(peer.getMetadata().getNamespace(),
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

    /** Only Secrets this operator created are read as its own or ever written: a user's Secret is never modified. */
    private static boolean ours(SecretLookup.SecretState secret) {
        return Labels.MANAGED_BY_VALUE.equals(secret.labels().get(Labels.MANAGED_BY));
    }

    private static boolean madeFor(SecretLookup.SecretState secret, VpnPeer peer) {
        String uid = secret.annotations().get(Labels.PEER_UID_ANNOTATION);
        return uid == null || uid.equals(peer.getMetadata().getUid());
    }

    private PeerPlan planPeer(VpnInstance instance, VpnInstanceSpec instanceSpec, List<AddressPool> pools, String serverPublicKey,
                              boolean usable, ConditionState instanceProblem, String nodeName, PeerWork w,
                              SecretLookup secrets) {
        String namespace = w.peer.getMetadata().getNamespace();
        String secretName = Labels.peerConfigSecretName(w.peer.getMetadata().getName());
        Optional<SecretLookup.SecretState> underConfigName = secrets.find(namespace, secretName);
        Optional<SecretLookup.SecretState> managed = underConfigName.filter(InstancePlanner::ours).filter(s -> madeFor(s, w.peer));
        if (!usable) {
            w.problems.add(0, new Problem(Reasons.INSTANCE_NOT_READY, "spec.instanceRef.name",
                    "VpnInstance " + instance.getMetadata().getName() + " cannot carry peers: " + instanceProblem.message()));
        }
        if (underConfigName.isPresent() && !ours(underConfigName.get())) {
            w.problems.add(new Problem(Reasons.SECRET_NAME_TAKEN, "metadata.name", "Secret " + secretName
                    + " exists but was not created by Peerwarden, so the peer's config cannot be written there"
                    + " (Peerwarden never modifies Secrets it did not create): rename or delete that Secret, or rename the peer."));
        }

        // keys: only decided for a peer that will be rendered, so a broken peer never mints keys
        String privateKey = null;
        String publicKey = w.spec.getPublicKey();
        String presharedKey = null;
        // the operator keeps a private key in the peer's Secret only when it made that key itself;
        // a key from the user's Secret stays there (it is still written into the rendered config)
        boolean operatorKey = false;
        if (w.problems.isEmpty()) {
            SecretKeyRef ref = w.spec.getPrivateKeySecretRef();
            if (ref != null) {
                KeyRead read = readUserKey(secrets, namespace, ref, Labels.PRIVATE_KEY, "spec.privateKeySecretRef");
                if (read.problem() != null) {
                    w.problems.add(read.problem());
                } else {
                    privateKey = read.key();
                    String derived = keys.publicKeyOf(privateKey);
                    if (publicKey != null && !publicKey.equals(derived)) {
                        w.problems.add(new Problem(Reasons.KEY_MISMATCH, "spec.publicKey",
                                "Private key does not match with the public key: spec.publicKey is " + publicKey
                                        + " but the private key in Secret " + ref.getName() + " belongs to " + derived
                                        + ". Fix one of them or remove spec.publicKey."));
                    }
                    publicKey = derived;
                }
            } else if (publicKey == null) {
                String existing = managed.map(s -> unb64(s.data().get(Labels.PRIVATE_KEY))).orElse(null);
                privateKey = existing != null && WireGuardKeys.isValid(existing) ? existing : keys.generatePrivateKey();
                operatorKey = true;
                publicKey = keys.publicKeyOf(privateKey);
            }
            PresharedKeySpec psk = w.spec.getPresharedKey();
            String mode = psk == null || psk.getMode() == null ? PresharedKeySpec.GENERATED : psk.getMode();
            if (PresharedKeySpec.SECRET.equals(mode) && psk.getSecretRef() != null) {
                KeyRead read = readUserKey(secrets, namespace, psk.getSecretRef(), Labels.PRESHARED_KEY, "spec.presharedKey.secretRef");
                if (read.problem() != null) {
                    w.problems.add(read.problem());
                } else {
                    presharedKey = read.key();
                }
            } else if (PresharedKeySpec.GENERATED.equals(mode)) {
                String existing = managed.map(s -> unb64(s.data().get(Labels.PRESHARED_KEY))).orElse(null);
                presharedKey = existing != null && WireGuardKeys.isValid(existing) ? existing : keys.generatePresharedKey();
            }
        }

        boolean valid = w.problems.isEmpty() && !w.addresses.isEmpty();
        List<String> addresses = w.addresses.stream().map(Cidr::toString).toList();
        List<ConditionState> conditions = new ArrayList<>();
        List<Problem> validityProblems = w.problems.stream().filter(p -> !Reasons.POOL_EXHAUSTED.equals(p.reason())).toList();
        if (validityProblems.isEmpty()) {
            conditions.add(new ConditionState(ConditionTypes.VALID, Conditions.TRUE, Reasons.VALID,
                    "The spec is valid and its allowed IPs are free."));
        } else {
            conditions.add(new ConditionState(ConditionTypes.VALID, Conditions.FALSE, validityProblems.get(0).reason(),
                    joinMessages(validityProblems)));
        }
        if (!w.addresses.isEmpty() && !w.exhausted) {
            conditions.add(new ConditionState(ConditionTypes.ADDRESS_ASSIGNED, Conditions.TRUE,
                    w.explicit ? Reasons.FROM_SPEC : Reasons.ALLOCATED, "Tunnel addresses: " + String.join(", ", addresses) + "."));
        } else if (w.exhausted) {
            conditions.add(new ConditionState(ConditionTypes.ADDRESS_ASSIGNED, Conditions.FALSE, Reasons.POOL_EXHAUSTED,
                    w.problems.stream().filter(p -> Reasons.POOL_EXHAUSTED.equals(p.reason())).findFirst().get().message()));
        } else {
            conditions.add(new ConditionState(ConditionTypes.ADDRESS_ASSIGNED, Conditions.FALSE, Reasons.NOT_VALID,
                    "No address is assigned while the peer is not valid."));
        }

        DesiredSecret secret = null;
        if (valid) {
            String config = WgQuickConfigRenderer.render(clientConfig(instanceSpec, pools, serverPublicKey, w, privateKey,
                    presharedKey, addresses));
            secret = configSecret(w.peer, secretName, config, publicKey, operatorKey ? privateKey : null,
                    presharedKey, addresses, managed);
            conditions.add(new ConditionState(ConditionTypes.CONFIG_RENDERED, Conditions.TRUE, Reasons.RENDERED,
                    "The WireGuard config is in Secret " + secretName + " (key " + Labels.CONFIG + ")."));
        } else {
            conditions.add(new ConditionState(ConditionTypes.CONFIG_RENDERED, Conditions.FALSE, Reasons.NOT_VALID,
                    "The config is not rendered while the peer is not valid."));
        }
        return new PeerPlan(w.peer, valid, addresses,
                valid ? publicKey : null, valid ? secretName : null, conditions, secret, nodeName);
    }

    private record KeyRead(String key, Problem problem) {
    }

    private static KeyRead readUserKey(SecretLookup secrets, String namespace, SecretKeyRef ref, String defaultKey, String field) {
        String dataKey = ref.keyOr(defaultKey);
        Optional<SecretLookup.SecretState> secret = secrets.find(namespace, ref.getName());
        if (secret.isEmpty()) {
            return new KeyRead(null, new Problem(Reasons.KEY_SECRET_NOT_FOUND, field,
                    "Secret " + ref.getName() + " named in " + field + " does not exist: create it or fix the reference."));
        }
        String value = unb64(secret.get().data().get(dataKey));
        if (value == null) {
            return new KeyRead(null, new Problem(Reasons.KEY_SECRET_NOT_FOUND, field,
                    "Secret " + ref.getName() + " named in " + field + " has no key " + dataKey + "."));
        }
        if (!WireGuardKeys.isValid(value.trim())) {
            return new KeyRead(null, new Problem(Reasons.INVALID_KEY, field,
                    "The value of " + dataKey + " in Secret " + ref.getName() + " is not a WireGuard key (32 bytes, base64)."));
        }
        return new KeyRead(value.trim(), null);
    }

    private static ClientConfig clientConfig(VpnInstanceSpec instanceSpec, List<AddressPool> pools, String serverPublicKey,
                                             PeerWork w, String privateKey, String presharedKey, List<String> addresses) {
        VpnPeerSpec spec = w.spec;
        List<String> dns = spec.getDns() != null ? spec.getDns() : instanceSpec.getDns();
        Integer mtu = spec.getMtu() != null ? spec.getMtu() : instanceSpec.getMtu();
        Integer keepalive = spec.getPersistentKeepalive() != null ? spec.getPersistentKeepalive() : instanceSpec.getPersistentKeepalive();
        List<String> allowed;
        if (spec.getEndpointAllowedIPs() != null && !spec.getEndpointAllowedIPs().isEmpty()) {
            allowed = spec.getEndpointAllowedIPs();
        } else if (Boolean.TRUE.equals(spec.getRouteAll()) && !spec.isSite()) {
            allowed = List.of(DEFAULT_ROUTE_V4, DEFAULT_ROUTE_V6);
        } else {
            allowed = pools.stream().map(p -> p.network().toString()).toList();
        }
        return new ClientConfig(privateKey, addresses, dns == null ? List.of() : dns, mtu, serverPublicKey, presharedKey,
                serverEndpoint(instanceSpec), allowed, keepalive);
    }

    /** host[:port] as clients dial it; the port defaults to the listen port. */
    static String serverEndpoint(VpnInstanceSpec spec) {
        String endpoint = spec.getEndpoint();
        if (endpoint == null || endpoint.isBlank()) {
            return null;
        }
        int port = spec.getListenPort() == null ? 51820 : spec.getListenPort();
        boolean hasPort = endpoint.startsWith("[") ? endpoint.contains("]:") : endpoint.contains(":");
        return hasPort ? endpoint : endpoint + ":" + port;
    }

    private DesiredSecret configSecret(VpnPeer peer, String name, String config, String publicKey, String privateKey,
                                       String presharedKey, List<String> addresses, Optional<SecretLookup.SecretState> managed) {
        Map<String, String> labels = Map.of(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE,
                Labels.INSTANCE, Labels.labelValue(peer.getSpec().getInstanceRef().getName()),
                Labels.PEER, Labels.labelValue(peer.getMetadata().getName()),
                Labels.COMPONENT, Labels.COMPONENT_PEER_CONFIG);
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put(Labels.ALLOWED_IPS_ANNOTATION, String.join(",", addresses));
        annotations.put(Labels.INSTANCE_NAME_ANNOTATION, peer.getSpec().getInstanceRef().getName());
        if (peer.getMetadata().getUid() != null) {
            annotations.put(Labels.PEER_UID_ANNOTATION, peer.getMetadata().getUid());
        }
        Map<String, String> data = new LinkedHashMap<>();
        String configB64 = b64(config);
        data.put(Labels.CONFIG, configB64);
        // the QR code is the costly part of a rendering: reuse it while the config text is unchanged
        String existingQr = managed.filter(s -> configB64.equals(s.data().get(Labels.CONFIG)))
                .map(s -> s.data().get(Labels.CONFIG_QR)).orElse(null);
        data.put(Labels.CONFIG_QR, existingQr != null ? existingQr : Base64.getEncoder().encodeToString(QrCodes.png(config)));
        data.put(Labels.PUBLIC_KEY, b64(publicKey));
        if (privateKey != null) {
            data.put(Labels.PRIVATE_KEY, b64(privateKey));
        }
        if (presharedKey != null) {
            data.put(Labels.PRESHARED_KEY, b64(presharedKey));
        }
        return new DesiredSecret(peer.getMetadata().getNamespace(), name, labels, annotations, data, peer.getMetadata().getName(), false);
    }

    // ---- helpers -----------------------------------------------------------------------------

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

    static String joinMessages(List<Problem> problems) {
        String joined = problems.stream().map(Problem::message).distinct().collect(Collectors.joining(" "));
        return joined.length() <= MAX_MESSAGE ? joined : joined.substring(0, MAX_MESSAGE - 1) + "…";
    }

    static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    static String unb64(String value) {
        if (value == null) {
            return null;
        }
        try {
            return new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
