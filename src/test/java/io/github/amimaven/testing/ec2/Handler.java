package io.github.amimaven.testing.ec2;

/**
 * Serves one EC2 action. It runs holding the account's lock and writes the response's elements (inside the
 * {@code <ActionResponse>} root, after {@code <requestId>}); it signals errors by throwing {@link Ec2Error}.
 */
@FunctionalInterface
interface Handler {
    void handle(Call call, Xml out);
}
