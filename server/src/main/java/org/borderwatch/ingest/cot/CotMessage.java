package org.borderwatch.ingest.cot;

import org.borderwatch.ops.LogLimit;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.StringReader;

/**
 * One message a TAK client sends: the streaming auth message {@code <auth><cot username password uid/></auth>}
 * or a CoT {@code <event>}. Read with a StAX parser that refuses DTDs and external entities.
 */
public sealed interface CotMessage permits CotMessage.Auth, CotEvent {

    /** TAK's streaming auth message: the first thing a client with "Use Authentication" sends. */
    record Auth(String username, String password, String uid) implements CotMessage {
        @Override
        public String toString() {
            return "Auth[username=" + username + ", uid=" + uid + "]"; // never the password
        }
    }

    /** Parses one message; {@link IllegalArgumentException} says what is wrong with it. */
    static CotMessage parse(String xml) {
        try {
            XMLStreamReader reader = Xml.FACTORY.createXMLStreamReader(new StringReader(xml));
            try {
                reader.nextTag();
                return switch (reader.getLocalName()) {
                    case "event" -> CotEvent.read(reader);
                    case "auth" -> readAuth(reader);
                    default -> throw new IllegalArgumentException("root element is <"
                            + LogLimit.clip(reader.getLocalName()) + ">, not <event> or <auth>");
                };
            } finally {
                reader.close();
            }
        } catch (XMLStreamException e) {
            throw new IllegalArgumentException("not well-formed XML: " + LogLimit.clip(e.getMessage()), e);
        }
    }

    private static Auth readAuth(XMLStreamReader reader) throws XMLStreamException {
        while (reader.hasNext()) {
            if (reader.next() == XMLStreamConstants.START_ELEMENT && "cot".equals(reader.getLocalName())) {
                return new Auth(reader.getAttributeValue(null, "username"),
                        reader.getAttributeValue(null, "password"), reader.getAttributeValue(null, "uid"));
            }
        }
        throw new IllegalArgumentException("<auth> without <cot username password>");
    }

    /** The one hardened parser factory. */
    final class Xml {
        static final XMLInputFactory FACTORY = XMLInputFactory.newFactory();

        static {
            FACTORY.setProperty(XMLInputFactory.SUPPORT_DTD, false);
            FACTORY.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        }

        private Xml() {
        }
    }
}
