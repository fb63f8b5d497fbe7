package org.borderwatch.history;

import org.w3c.dom.bootstrap.DOMImplementationRegistry;
import org.w3c.dom.ls.DOMImplementationLS;
import org.w3c.dom.ls.LSInput;
import org.xml.sax.SAXException;

import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.URL;
import java.util.Map;

/**
 * The official GPX 1.1 and KML 2.2 schemas (test resources under {@code xsd/}), for javax.xml.validation. Nothing is
 * fetched from the network: the one remote import (KML's xAL) resolves to the shipped copy.
 */
final class Schemas {

    private static final Map<String, String> LOCAL = Map.of(
            "http://docs.oasis-open.org/election/external/xAL.xsd", "/xsd/kml/xAL.xsd");

    private Schemas() {
    }

    static Schema gpx() throws Exception {
        return load("/xsd/gpx/gpx.xsd");
    }

    static Schema kml() throws Exception {
        return load("/xsd/kml/ogckml22.xsd");
    }

    /** Throws {@link SAXException} naming the line and the rule when {@code xml} does not conform. */
    static void validate(Schema schema, String xml) throws SAXException, IOException {
        schema.newValidator().validate(new StreamSource(new StringReader(xml)));
    }

    private static Schema load(String resource) throws Exception {
        SchemaFactory factory = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
        DOMImplementationLS ls = (DOMImplementationLS) DOMImplementationRegistry.newInstance()
                .getDOMImplementation("LS");
        factory.setResourceResolver((type, namespace, publicId, systemId, baseUri) -> {
            String local = LOCAL.get(systemId);
            if (local == null) {
                return null; // relative imports resolve next to the importing file
            }
            LSInput input = ls.createLSInput();
            InputStream stream = Schemas.class.getResourceAsStream(local);
            input.setByteStream(stream);
            input.setSystemId(Schemas.class.getResource(local).toString());
            return input;
        });
        URL url = Schemas.class.getResource(resource);
        return factory.newSchema(url);
    }
}
