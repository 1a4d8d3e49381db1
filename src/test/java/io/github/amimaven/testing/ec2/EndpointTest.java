package io.github.amimaven.testing.ec2;

import java.io.IOException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Base of the test classes that share one EC2 test endpoint: started before the class's tests, closed (with
 * every sshd and VM of its instances) after them.
 */
public abstract class EndpointTest {

    protected static Ec2TestEndpoint endpoint;

    @BeforeAll
    static void startEndpoint() throws IOException {
        endpoint = Ec2TestEndpoint.start();
    }

    @AfterAll
    static void closeEndpoint() {
        if (endpoint != null) {
            endpoint.close();
            endpoint = null;
        }
    }
}
