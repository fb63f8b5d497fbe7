package org.borderwatch.auth;

/**
 * Who made a request: a user ({@code name} is the username) or a device ({@code unitId} is the only unit it may
 * report).
 */
public record Principal(String name, Role role, String unitId) {

    public static Principal user(String name, Role role) {
        return new Principal(name, role, null);
    }

    public static Principal device(String unitId) {
        return new Principal("device:" + unitId, Role.DEVICE, unitId);
    }

    /** May this caller write positions for {@code unit}? Admins for any, a device for its own. */
    public boolean mayReport(String unit) {
        return role == Role.ADMIN || (role == Role.DEVICE && unitId.equals(unit));
    }
}
