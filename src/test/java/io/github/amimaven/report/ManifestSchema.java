package io.github.amimaven.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

/** {@code manifest.schema.json}, the manifest's documented layout, as tests check written manifests against it. */
public final class ManifestSchema {

    private static final Schema SCHEMA = load();

    private ManifestSchema() {
    }

    private static Schema load() {
        try (InputStream in = ManifestSchema.class.getResourceAsStream("/manifest.schema.json")) {
            return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where {@code manifest} departs from the schema, one line each; empty when it matches. */
    public static List<String> violations(Path manifest) throws IOException {
        return SCHEMA.validate(new ObjectMapper().readTree(manifest.toFile())).stream()
                .map(e -> e.getInstanceLocation() + ": " + e.getMessage()).toList();
    }

    public static void assertMatches(Path manifest) throws IOException {
        assertEquals(List.of(), violations(manifest), manifest.toString());
    }
}
