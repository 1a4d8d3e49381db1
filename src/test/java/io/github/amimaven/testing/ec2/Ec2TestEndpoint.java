package io.github.amimaven.testing.ec2;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.amimaven.process.DaemonThreads;
import io.github.amimaven.process.Directories;
import io.github.amimaven.process.ShortTemp;
import io.github.amimaven.testing.sshd.LoopbackSshd;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An EC2 stand-in for tests: an HTTP server on 127.0.0.1 speaking the EC2 Query protocol (API 2016-11-15) well
 * enough for the real AWS SDKs, their SigV4 signing, retries and waiters, and for Packer's amazon-ebs builder.
 * Point a client at {@link #uri()} with {@code endpointOverride}.
 *
 * <p>The access key id of the SigV4 credential scope selects the account and the scope's region selects the
 * region; signatures are not checked. Each account has its own resources, delays, faults and request counts
 * ({@link AccountState}).</p>
 *
 * <p>More services answer on the same port, for the deploy phase: STS's {@code AssumeRole} (Query protocol,
 * SigV4 service {@code sts}; the returned credentials act in the role ARN's account, see {@link StsApi}), SSM
 * Parameter Store in its JSON 1.1 protocol (requests with {@code X-Amz-Target: AmazonSSM.*}, see {@link SsmApi}) and
 * Auto Scaling groups (Query protocol, SigV4 service {@code autoscaling}, see {@link AutoScalingApi}).
 * For builds with an IAM Identity Center profile, the SSO portal's {@code GetRoleCredentials} answers too
 * ({@code GET /federation/credentials}, see {@link SsoApi}).</p>
 *
 * <h2>Admin API</h2>
 * JSON over HTTP on the same port, for maven-invoker scripts and other JVMs:
 * <ul>
 * <li>{@code POST /_admin/reset}: forgets all accounts (stopping their sshds).</li>
 * <li>{@code POST /_admin/accounts/{accessKeyId}/config} with any of
 * {@code {"delays": {"instancePending": ms, "instanceStopping": ms, "instanceShuttingDown": ms,
 * "terminatedRetention": ms, "imagePending": ms, "imageCopy": ms, "windowsPassword": ms, "all": ms},
 * "throttle": {"fraction": 0.5, "actions": ["DescribeImages"], "seed": 1},
 * "failures": {"CreateImage": {"code": "…", "message": "…", "status": 400, "times": 1},
 * "RunInstances": {"answer": "html" | "empty" | "reset" | "truncated", "status": 502, "times": 1}},
 * "imagesFail": true, "ssh": {"enabled": true, "port": 2222}, "vm": {"enabled": true, "port": 2222}, "latencyMs": {"RunInstances": 200},
 * "consoleHostKeys": "real" | "wrong" | "none" (the host key blocks GetConsoleOutput prints in SSH mode),
 * "guestShutdownAfterMs": ms (instances launched from then on power themselves off this long after they run, as
 * user data ending in a power-off does, and stop or terminate by their instanceInitiatedShutdownBehavior; null or
 * negative: never, the default),
 * "noCapacity": [{"instanceType": "c7i.large", "market": "spot" | "on-demand" (default)}] (RunInstances of that type
 * and market answers InsufficientInstanceCapacity, HTTP 500), "unsupported": ["c7i.large"] (RunInstances of those
 * types answers Unsupported), "clearFaults": true}}. The action {@code *} in {@code failures} and {@code latencyMs} means every action that
 * has no entry of its own. A failure's {@code answer} (default {@code "error"}: the service's error envelope with
 * {@code code} and {@code message}) replaces it with an answer that is not the service's, as a proxy or broken front
 * end in between sends it, and the call is not carried out: {@code "html"} an nginx error page with {@code status}
 * (default 500), {@code "empty"} {@code status} with an empty body, {@code "reset"} no answer at all (the connection
 * is closed once the request is read, which HTTP clients report as an unexpected end of stream), {@code "truncated"}
 * the first half of the body the service would have sent with {@code status} (default 200: its response to the
 * call; from 300 its error envelope). These apply to STS and SSM calls too ({@code "AssumeRole"},
 * {@code "PutParameter"}), in their own protocols (SSM's truncated body is JSON).</li>
 * <li>{@code POST /_admin/accounts/{accessKeyId}/images} with {@code {"region", "name", "ownerId",
 * "creationDate" (ISO-8601), "tags": {…}, "state", "architecture", "platform" ("windows"), "description", "public",
 * "disk" (VM mode: a qcow2 or raw disk file that instances of the image boot from)}} → {@code {"imageId": …}}.</li>
 * <li>{@code GET /_admin/accounts/{accessKeyId}/state}: all regions' instances, images, snapshots, key pairs and
 * security groups with tags and states, live resources, {@code requestCounts}, {@code throttledCount},
 * {@code failedCounts}, and {@code lastRequests}: per action, the parameters of its last request as sent (in
 * process, {@link AccountState#requests} has every request of an action, in order).</li>
 * <li>{@code GET /_admin/ping}: {@code {"ok": true}}, to wait for a started endpoint.</li>
 * </ul>
 */
public final class Ec2TestEndpoint implements AutoCloseable {

    /** How to start the endpoint. */
    public static final class Options {
        int port;
        String sshUser;
        Path workDir;
        Consumer<String> requestLog;

        /** 0 (default) picks an ephemeral port. */
        public Options port(int port) {
            this.port = port;
            return this;
        }

        /** The account the instances' sshds run as and let in; default {@link LoopbackSshd#defaultUser()}. */
        public Options sshUser(String sshUser) {
            this.sshUser = sshUser;
            return this;
        }

        /** Where instances' sshd directories go; default a fresh temporary directory, deleted on close. */
        public Options workDir(Path workDir) {
            this.workDir = workDir;
            return this;
        }

        /** Receives one line per request: account, region, action, outcome. */
        public Options requestLog(Consumer<String> requestLog) {
            this.requestLog = requestLog;
            return this;
        }
    }

    private static final Pattern CREDENTIAL = Pattern.compile("Credential=([^/,\\s]+)/[^/]+/([^/]+)/([^/]+)/");
    private static final Pattern ADMIN_ACCOUNT = Pattern.compile("/_admin/accounts/([^/]+)/(config|images|state)");

    private final HttpServer server;
    private final ExecutorService httpThreads;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService background;
    private final Map<String, AccountState> accounts = new ConcurrentHashMap<>();
    private final Map<String, Handler> handlers = new HashMap<>();
    /**
     * Starts at a random point so that endpoints in other JVMs (invoker ITs, parallel forks) are unlikely to hand
     * out the same addresses, which would make their sshds clash on the same port.
     */
    private final AtomicInteger addressCounter =
            new AtomicInteger(java.util.concurrent.ThreadLocalRandom.current().nextInt(254 * 250));
    private final String sshUser;
    private final Path workDir;
    private final boolean ownsWorkDir;
    private final Consumer<String> requestLog;
    private final AdminApi admin = new AdminApi(this);
    private final StsApi sts = new StsApi(this);
    private final SsmApi ssm = new SsmApi(this);
    private final AutoScalingApi autoScaling = new AutoScalingApi();
    private final SsoApi sso = new SsoApi(this);
    private volatile boolean closed;
    private VmBackend vms;

    private Ec2TestEndpoint(Options options) throws IOException {
        this.sshUser = options.sshUser != null ? options.sshUser : LoopbackSshd.defaultUser();
        this.ownsWorkDir = options.workDir == null;
        // the short temp root rather than the build directory: the sshd account must be able to reach it through
        // its parents
        this.workDir = options.workDir != null ? Files.createDirectories(options.workDir)
                : ShortTemp.createDirectory("ec2-test-endpoint-");
        this.requestLog = options.requestLog;
        InfoHandlers.register(handlers);
        ImageHandlers.register(handlers);
        InstanceHandlers.register(handlers);
        KeyPairHandlers.register(handlers);
        PasswordHandlers.register(handlers);
        SecurityGroupHandlers.register(handlers);
        TagHandlers.register(handlers);
        VolumeHandlers.register(handlers);
        ImageReleaseHandlers.register(handlers);
        LaunchTemplateHandlers.register(handlers);
        this.httpThreads = Executors.newFixedThreadPool(16, DaemonThreads.named("ec2-test-endpoint-http"));
        this.scheduler = new ScheduledThreadPoolExecutor(2, DaemonThreads.named("ec2-test-endpoint-lifecycle"));
        this.background = Executors.newCachedThreadPool(DaemonThreads.named("ec2-test-endpoint-sshd"));
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), options.port), 64);
        server.setExecutor(httpThreads);
        server.createContext("/", this::serveEc2);
        server.createContext("/_admin/", admin::serve);
        server.start();
    }

    public static Ec2TestEndpoint start() throws IOException {
        return start(new Options());
    }

    public static Ec2TestEndpoint start(Options options) throws IOException {
        return new Ec2TestEndpoint(options);
    }

    /** {@code http://127.0.0.1:PORT} */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** One SSO {@code GetRoleCredentials} as received: the account and role asked for, and the bearer token. */
    public record SsoRoleCredentialsRequest(String accountId, String roleName, String bearerToken) {
    }

    /** Every SSO {@code GetRoleCredentials} received so far, in order. */
    public List<SsoRoleCredentialsRequest> ssoRoleCredentialsRequests() {
        return sso.received();
    }

    /** The SSO portal refuses this bearer token from now on (until {@link #reset()}). */
    public void revokeSsoToken(String token) {
        sso.revoke(token);
    }

    /** The account of this access key id, created on first use. */
    public AccountState account(String accessKeyId) {
        return accounts.computeIfAbsent(accessKeyId, k -> new AccountState(k, this));
    }

    /** Forgets every account, stopping the sshds of their instances, and the SSO requests received. */
    public void reset() {
        List<AccountState> all = List.copyOf(accounts.values());
        accounts.clear();
        sso.forget();
        for (AccountState a : all) {
            for (Resources.Instance i : a.allInstances()) {
                synchronized (a) {
                    i.generation++;
                }
                stopSshd(a, i, true, true);
                stopVm(a, i);
            }
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.stop(0);
        scheduler.shutdownNow();
        reset();
        background.shutdown();
        try {
            background.awaitTermination(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        httpThreads.shutdownNow();
        synchronized (this) {
            if (vms != null) {
                vms.close();
            }
        }
        if (ownsWorkDir) {
            deleteTree(workDir);
        }
    }

    // ---- EC2 protocol ----

    private void serveEc2(HttpExchange exchange) throws IOException {
        if (SsmApi.accepts(exchange)) {
            ssm.serve(exchange);
            return;
        }
        if (SsoApi.accepts(exchange)) {
            sso.serve(exchange);
            return;
        }
        String requestId = UUID.randomUUID().toString();
        String account = "-";
        String region = "-";
        String action = "-";
        String outcome;
        try (exchange) {
            Map<String, String> params = new LinkedHashMap<>();
            parseForm(exchange.getRequestURI().getRawQuery(), params);
            try (InputStream in = exchange.getRequestBody()) {
                parseForm(new String(in.readAllBytes(), StandardCharsets.UTF_8), params);
            }
            action = params.getOrDefault("Action", "-");
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            Matcher m = auth == null ? null : CREDENTIAL.matcher(auth);
            if (m == null || !m.find()) {
                outcome = respondError(exchange, requestId, new Ec2Error("AuthFailure",
                        "AWS was not able to validate the provided access credentials", 401));
                return;
            }
            account = m.group(1);
            region = m.group(2);
            if ("sts".equals(m.group(3))) {
                outcome = sts.serve(exchange, requestId, account(account), action, new Params(params));
            } else if ("autoscaling".equals(m.group(3))) {
                outcome = autoScaling.serve(exchange, requestId, account(account), region, action, new Params(params));
            } else {
                outcome = dispatch(exchange, requestId, account(account), region, action, new Params(params));
            }
        } catch (RuntimeException | IOException e) {
            outcome = "exception " + e;
        }
        log(account + " " + region + " " + action + " " + outcome);
    }

    private String dispatch(HttpExchange exchange, String requestId, AccountState account, String region,
            String action, Params params) throws IOException {
        account.recordCall("ec2", action);
        account.countRequest(action, params.asMap());
        FaultInjector faults = account.config().faults;
        Duration latency = faults.latencyFor(action);
        if (!latency.isZero()) {
            sleep(latency);
        }
        if (faults.shouldThrottle(action)) {
            account.countThrottled(action);
            // 503 plus a throttling code: the SDKs' retry policies back off and retry it
            return respondError(exchange, requestId, new Ec2Error("RequestLimitExceeded", "Request limit exceeded.", 503));
        }
        FaultInjector.Failure injected = faults.failureFor(action);
        if (injected != null) {
            account.countFailed(action);
            if (injected.answer() != null) {
                String complete = injected.status() < 300
                        ? new Xml().startRoot(action + "Response").el("requestId", requestId).el("return", true).end().toString()
                        : errorBody(requestId, "InternalError", "We encountered an internal error. Please try again.");
                return BrokenAnswers.send(exchange, injected.answer(), injected.status(), complete, "text/xml;charset=UTF-8");
            }
            return respondError(exchange, requestId, injected.error());
        }
        Handler handler = handlers.get(action);
        if (handler == null) {
            account.countFailed(action);
            return respondError(exchange, requestId, Ec2Error.of("InvalidAction",
                    "The action " + action + " is not valid for this web service."));
        }
        String body;
        try {
            if (params.bool("DryRun", false)) {
                throw new Ec2Error("DryRunOperation", "Request would have succeeded, but DryRun flag is set.", 412);
            }
            Xml out = new Xml().startRoot(action + "Response").el("requestId", requestId);
            synchronized (account) {
                handler.handle(new Call(action, requestId, params, account, account.region(region), this), out);
            }
            body = out.end().toString();
        } catch (Ec2Error e) {
            account.countFailed(action);
            return respondError(exchange, requestId, e);
        } catch (RuntimeException e) {
            account.countFailed(action);
            return respondError(exchange, requestId, new Ec2Error("InternalError", "endpoint bug: " + e, 500));
        }
        respond(exchange, 200, requestId, body);
        return "200";
    }

    private String respondError(HttpExchange exchange, String requestId, Ec2Error e) throws IOException {
        respond(exchange, e.status(), requestId, errorBody(requestId, e.code(), String.valueOf(e.getMessage())));
        return e.status() + " " + e.code();
    }

    private static String errorBody(String requestId, String code, String message) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error><Code>" + Xml.escape(code)
                + "</Code><Message>" + Xml.escape(message) + "</Message></Error></Errors><RequestID>" + requestId
                + "</RequestID></Response>";
    }

    static void respond(HttpExchange exchange, int status, String requestId, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/xml;charset=UTF-8");
        exchange.getResponseHeaders().set("x-amzn-RequestId", requestId);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void parseForm(String raw, Map<String, String> into) {
        if (raw == null || raw.isEmpty()) {
            return;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            into.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
        }
    }

    void log(String line) {
        if (requestLog != null) {
            requestLog.accept(Instant.now() + " " + line);
        }
    }

    // ---- delayed transitions and instance sshds ----

    /** Runs {@code work} holding the account's lock after {@code delay}. */
    void later(AccountState account, Duration delay, Runnable work) {
        if (closed) {
            return;
        }
        try {
            scheduler.schedule(() -> {
                try {
                    synchronized (account) {
                        work.run();
                    }
                } catch (RuntimeException e) {
                    log(account.accessKeyId() + " - transition failed: " + e);
                }
            }, Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException closing) {
            // the endpoint is closing: the transition no longer matters
        }
    }

    /** Runs slow work (starting or stopping an sshd) without holding any lock. */
    void inBackground(Runnable work) {
        try {
            background.execute(work);
        } catch (RejectedExecutionException closing) {
            work.run();
        }
    }

    /** The next unique instance address suffix {@code X.Y}, shared by all accounts so addresses never clash. */
    String nextAddressSuffix() {
        int n = addressCounter.getAndIncrement();
        return (n / 254 % 256) + "." + (n % 254 + 1);
    }

    String sshUser() {
        return sshUser;
    }

    Path instanceWorkDir(Resources.Instance instance) {
        return workDir.resolve(instance.id);
    }

    /** Starts the instance's sshd (outside any lock), then calls {@code then} with it, or null when it failed. */
    void startSshd(AccountState account, Resources.Instance instance, String authorizedKey, int port,
            Consumer<LoopbackSshd> then) {
        List<String> addresses = addresses(instance);
        Path dir = instanceWorkDir(instance);
        inBackground(() -> {
            LoopbackSshd sshd = null;
            try {
                sshd = LoopbackSshd.start(addresses, port,
                        authorizedKey == null ? List.of() : List.of(authorizedKey), dir, sshUser);
            } catch (IOException | RuntimeException e) {
                log(account.accessKeyId() + " - sshd for " + instance.id + " failed: " + e);
                synchronized (account) {
                    instance.sshError = String.valueOf(e);
                }
            }
            if (closed && sshd != null) {
                sshd.close();
                sshd = null;
            }
            synchronized (account) {
                then.accept(sshd);
            }
        });
    }

    /** Where an instance answers: its private address, and its public one when it has one. */
    private static List<String> addresses(Resources.Instance instance) {
        return instance.publicIp == null ? List.of(instance.privateIp) : List.of(instance.privateIp, instance.publicIp);
    }

    synchronized VmBackend vms() {
        if (vms == null) {
            vms = new VmBackend(workDir.resolve("vms"), this::log);
        }
        return vms;
    }

    /** VM mode: boots the instance's VM (outside any lock), then calls {@code then} with its id, or null. */
    void startVm(AccountState account, Resources.Instance instance, String userData, int port, Consumer<String> then) {
        List<String> addresses = addresses(instance);
        String disk = instance.vmDisk;
        String key = instance.authorizedKey;
        inBackground(() -> {
            String vm = null;
            try {
                vm = vms().launch(disk, key, userData, addresses, port);
            } catch (Exception e) {
                log(account.accessKeyId() + " - VM for " + instance.id + " failed: " + e);
                synchronized (account) {
                    instance.sshError = String.valueOf(e);
                }
            }
            if (closed && vm != null) {
                vms().terminate(vm);
                vm = null;
            }
            synchronized (account) {
                then.accept(vm);
            }
        });
    }

    /** VM mode: powers the instance's VM off cleanly (outside any lock), then runs {@code then} holding the lock. */
    void powerOffVm(AccountState account, Resources.Instance instance, Duration timeout, Runnable then) {
        String vm = instance.vmId;
        inBackground(() -> {
            try {
                if (vm != null) {
                    vms().stop(vm, timeout);
                }
            } catch (RuntimeException e) {
                log(account.accessKeyId() + " - stopping VM of " + instance.id + " failed: " + e);
            }
            synchronized (account) {
                then.run();
            }
        });
    }

    /** VM mode: kills the instance's VM and deletes its overlay. */
    void stopVm(AccountState account, Resources.Instance instance) {
        String vm;
        synchronized (account) {
            vm = instance.vmId;
            instance.vmId = null;
        }
        if (vm != null) {
            try {
                vms().terminate(vm);
            } catch (RuntimeException e) {
                log(account.accessKeyId() + " - terminating VM of " + instance.id + " failed: " + e);
            }
        }
    }

    /** Takes the instance's sshd away and kills it in the background, so its connections drop. */
    void stopSshd(AccountState account, Resources.Instance instance, boolean deleteWorkDir, boolean wait) {
        LoopbackSshd sshd;
        synchronized (account) {
            sshd = instance.sshd;
            instance.sshd = null;
        }
        Path dir = instanceWorkDir(instance);
        Runnable kill = () -> {
            if (sshd != null) {
                sshd.close();
            }
            if (deleteWorkDir) {
                deleteTree(dir);
            }
        };
        if (wait || background.isShutdown()) {
            kill.run();
        } else {
            inBackground(kill);
        }
    }

    private static void deleteTree(Path dir) {
        try {
            Directories.deleteRecursively(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    Map<String, AccountState> accounts() {
        return accounts;
    }

    /** The SigV4 scope of an Authorization header: access key id, region, service; null when there is none. */
    static Matcher credentialScope(String authorization) {
        Matcher m = CREDENTIAL.matcher(authorization);
        return m.find() ? m : null;
    }

    /** The account with this 12-digit id, if one of the access keys seen so far maps to it. */
    AccountState accountById(String accountId) {
        return accounts.values().stream().filter(a -> a.accountId().equals(accountId)).findFirst().orElse(null);
    }

    /**
     * Another account's image with this id, as the source of a CopyImage by {@code caller}: a detached copy, or null
     * when no other account has it. EC2 requires launch permission on the image and create-volume permission on
     * its snapshots. Runs holding the caller's lock and takes the owner's: two accounts copying from each other at
     * the same moment could deadlock, which no test does.
     */
    Resources.Image sharedCopySource(AccountState caller, String region, String imageId) {
        for (AccountState owner : accounts.values()) {
            if (owner == caller) {
                continue;
            }
            Resources.Image found = owner.locked(a -> {
                RegionState rs = a.region(region);
                Resources.Image img = rs.images.get(imageId);
                if (img == null) {
                    return null;
                }
                if (!img.isPublic && !img.launchUserIds.contains(caller.accountId())) {
                    throw Ec2Error.of("InvalidAMIID.NotFound", "The image id '[" + imageId + "]' does not exist");
                }
                for (String snapshotId : img.snapshotIds()) {
                    Resources.Snapshot s = rs.snapshots.get(snapshotId);
                    if (s == null || !s.volumePermissionUserIds.contains(caller.accountId())
                            && !s.volumePermissionGroups.contains("all")) {
                        throw new Ec2Error("UnauthorizedOperation", "You do not have permission to access the storage"
                                + " of this AMI: snapshot " + snapshotId + " is not shared with " + caller.accountId(), 403);
                    }
                }
                Resources.Image copy = new Resources.Image();
                copy.id = img.id;
                copy.name = img.name;
                copy.description = img.description;
                copy.state = img.state;
                copy.ownerId = img.ownerId;
                copy.architecture = img.architecture;
                copy.virtualizationType = img.virtualizationType;
                copy.rootDeviceName = img.rootDeviceName;
                copy.bootMode = img.bootMode;
                copy.enaSupport = img.enaSupport;
                copy.platform = img.platform;
                copy.tags.putAll(img.tags);
                img.blockDevices.forEach(b -> copy.blockDevices.add(b.copy()));
                return copy;
            });
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    static Matcher adminAccountPath(String path) {
        return ADMIN_ACCOUNT.matcher(path);
    }
}
