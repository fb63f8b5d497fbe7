package org.borderwatch.contact;

import java.util.List;

/** The contact fixes of one report (a request, a feed's flush), stored together. Travels the local bus by reference. */
public record ContactBatch(List<Contact> contacts) {
}
