package org.borderwatch.contact;

import java.util.List;

/** The contact fixes of one report, a feed's flush or a request, stored together. Travels the local bus by reference. */
public record ContactBatch(List<Contact> contacts) {
}
