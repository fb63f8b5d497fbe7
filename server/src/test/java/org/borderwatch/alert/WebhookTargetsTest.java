package org.borderwatch.alert;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookTargetsTest {

    private static boolean internal(String address) throws Exception {
        return WebhookTargets.internal(InetAddress.getByName(address));
    }

    @Test
    void internalAddressesAreTheNetworksOwn() throws Exception {
        for (String address : new String[] {"127.0.0.1", "127.8.9.1", "10.0.0.1", "172.16.0.1", "172.31.255.254",
                "192.168.1.1", "169.254.169.254", "0.0.0.0", "100.64.0.1", "100.127.255.255", "224.0.0.1",
                "::1", "fe80::1", "fc00::1", "fd12:3456::1", "::ffff:10.0.0.1", "::"}) {
            assertThat(internal(address)).as(address).isTrue();
        }
        for (String address : new String[] {"8.8.8.8", "172.32.0.1", "100.128.0.1", "192.0.2.1", "2001:db8::1",
                "2606:4700::1111"}) {
            assertThat(internal(address)).as(address).isFalse();
        }
    }
}
