package org.borderwatch.contact;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import org.borderwatch.bus.Addresses;
import org.borderwatch.http.ApiException;
import org.borderwatch.http.UnavailableException;

import java.util.List;

/**
 * The one door to the contact writer of this node, for the HTTP API and the ADS-B and AIS feeds alike. Contacts are
 * not owned by a node as units are: the node that hears a contact stores it, and the writer's row locks keep two
 * nodes hearing the same one from deciding its fences twice.
 */
public final class ContactIngest {

    private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true).setSendTimeout(60_000);

    private final Vertx vertx;

    public ContactIngest(Vertx vertx) {
        this.vertx = vertx;
    }

    /**
     * Completes with the number of fixes taken once they are durable; fails with {@link UnavailableException} when
     * the writer's queue is full or the database is down (503), {@link ApiException} 400 for a value it refused.
     */
    public Future<Integer> submit(List<Contact> contacts) {
        return vertx.eventBus().<Integer>request(Addresses.CONTACTS_SUBMIT, new ContactBatch(contacts), LOCAL)
                .map(reply -> reply.body())
                .recover(e -> {
                    if (e instanceof ReplyException reply && reply.failureCode() == ContactVerticle.OVERLOADED) {
                        return Future.failedFuture(new UnavailableException(reply.getMessage()));
                    }
                    if (e instanceof ReplyException reply && reply.failureCode() == ContactVerticle.REFUSED) {
                        return Future.failedFuture(ApiException.badRequest(reply.getMessage(), null));
                    }
                    return Future.failedFuture(e);
                });
    }
}
