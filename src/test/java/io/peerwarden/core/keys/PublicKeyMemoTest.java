package io.peerwarden.core.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PublicKeyMemoTest {

    private final List<String> derivedFor = new ArrayList<>();

    private PublicKeyMemo memo(int capacity) {
        return new PublicKeyMemo(capacity, key -> {
            derivedFor.add(key);
            return WireGuardKeys.publicKeyOf(key);
        });
    }

    @Test
    void aKeyIsDerivedOnceAndTheAnswerIsWgPubkeys() {
        PublicKeyMemo memo = memo(10);
        String a = WireGuardKeys.generatePrivateKey();
        String b = WireGuardKeys.generatePrivateKey();
        for (int i = 0; i < 5; i++) {
            assertThat(memo.publicKeyOf(a)).isEqualTo(WireGuardKeys.publicKeyOf(a));
            assertThat(memo.publicKeyOf(b)).isEqualTo(WireGuardKeys.publicKeyOf(b));
        }
        assertThat(derivedFor).containsExactly(a, b);
        assertThat(memo.derivations()).isEqualTo(2);
        assertThat(memo.size()).isEqualTo(2);
    }

    @Test
    void theLeastRecentlyUsedKeyGoesFirstAndIsDerivedAgainWhenSeenAgain() {
        PublicKeyMemo memo = memo(2);
        String a = WireGuardKeys.generatePrivateKey();
        String b = WireGuardKeys.generatePrivateKey();
        String c = WireGuardKeys.generatePrivateKey();
        memo.publicKeyOf(a);
        memo.publicKeyOf(b);
        memo.publicKeyOf(a); // b is now the eldest
        memo.publicKeyOf(c);
        assertThat(memo.size()).isEqualTo(2);
        memo.publicKeyOf(a);
        assertThat(derivedFor).containsExactly(a, b, c);
        memo.publicKeyOf(b);
        assertThat(derivedFor).containsExactly(a, b, c, b);
    }

    @Test
    void aFailedDerivationIsNotRememberedAndItsMessageHasNoKey() {
        PublicKeyMemo memo = memo(10);
        String broken = "not-a-key-but-secret-looking-text-1234567890=";
        assertThatThrownBy(() -> memo.publicKeyOf(broken)).isInstanceOf(InvalidKeyException.class)
                .message().doesNotContain(broken);
        assertThatThrownBy(() -> memo.publicKeyOf(broken)).isInstanceOf(InvalidKeyException.class);
        assertThat(memo.size()).isZero();
        assertThat(derivedFor).hasSize(2);
    }

    @Test
    void toStringPrintsNoKey() {
        PublicKeyMemo memo = memo(10);
        String key = WireGuardKeys.generatePrivateKey();
        String pub = memo.publicKeyOf(key);
        assertThat(memo.toString()).doesNotContain(key).doesNotContain(pub).doesNotContain(key.substring(0, 8))
                .isEqualTo("PublicKeyMemo[1 of 10 remembered, 1 derived]");
    }
}
