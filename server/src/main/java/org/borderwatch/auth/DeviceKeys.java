package org.borderwatch.auth;

import io.vertx.core.Future;
import org.borderwatch.track.UnitRegistry;

/** Who a device key belongs to, for the device protocols that carry the key in their own fields. */
public final class DeviceKeys {

    private DeviceKeys() {
    }

    /** The device principal of the key's unit; fails with a 403-style error when the key is unknown. */
    public static Future<Principal> principal(UnitRegistry units, String key) {
        if (key == null || !key.startsWith(Secrets.DEVICE_KEY_PREFIX)) {
            // Not even shaped like a key: no database round trip for a flood of made-up ones.
            return Future.failedFuture(new IllegalArgumentException("no device key"));
        }
        return units.findByKeyHash(Secrets.sha256(key)).map(unit -> {
            if (unit == null) {
                throw new IllegalArgumentException("unknown device key");
            }
            return Principal.device(unit.id(), unit.agency());
        });
    }
}
