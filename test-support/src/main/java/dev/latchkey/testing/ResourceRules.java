package dev.latchkey.testing;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Rules every REST resource class of a service follows, checked by reading the compiled classes of its
 * {@code rest} package (so a resource added later is checked too).
 */
public final class ResourceRules {

    private static final String PATH = "jakarta.ws.rs.Path";
    private static final String CANCELLABLE = "org.jboss.resteasy.reactive.server.Cancellable";

    private ResourceRules() {
    }

    /**
     * Every resource class is {@code @Cancellable(false)}: a request whose client hangs up runs to its end and its
     * answer is dropped. Quarkus REST otherwise cancels the request's pipeline, and a cancellation that lands while
     * Hibernate Reactive holds or is acquiring a pooled connection can leak that connection for good
     * (quarkusio/quarkus#51576, hibernate-reactive#4133): after a load test's clients stopped, the pool stayed
     * exhausted until a restart.
     *
     * @return the resource classes checked (never empty)
     */
    public static List<Class<?>> assertEveryResourceRunsToCompletion(String restPackage) {
        List<Class<?>> resources = resourceClasses(restPackage);
        if (resources.isEmpty()) {
            throw new AssertionError("no resource class found in " + restPackage);
        }
        List<String> cancellable = new ArrayList<>();
        for (Class<?> resource : resources) {
            Annotation annotation = annotation(resource, CANCELLABLE);
            if (annotation == null || (boolean) value(annotation)) {
                cancellable.add(resource.getName());
            }
        }
        if (!cancellable.isEmpty()) {
            throw new AssertionError("resource classes without @Cancellable(false) (a client hanging up could leak a "
                    + "database connection): " + cancellable);
        }
        return resources;
    }

    static List<Class<?>> resourceClasses(String restPackage) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        String folder = restPackage.replace('.', '/');
        List<Class<?>> out = new ArrayList<>();
        try {
            for (URL url : java.util.Collections.list(loader.getResources(folder))) {
                if (!"file".equals(url.getProtocol())) {
                    continue;
                }
                try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
                    for (Path file : files.toList()) {
                        String name = file.getFileName().toString();
                        if (!name.endsWith(".class") || name.contains("$")) {
                            continue;
                        }
                        Class<?> type = Class.forName(restPackage + "." + name.substring(0, name.length() - 6), false,
                                loader);
                        if (annotation(type, PATH) != null) {
                            out.add(type);
                        }
                    }
                }
            }
        } catch (IOException | URISyntaxException | ClassNotFoundException e) {
            throw new IllegalStateException("cannot read " + restPackage, e);
        }
        return out;
    }

    private static Annotation annotation(Class<?> type, String name) {
        for (Annotation annotation : type.getAnnotations()) {
            if (annotation.annotationType().getName().equals(name)) {
                return annotation;
            }
        }
        return null;
    }

    private static Object value(Annotation annotation) {
        try {
            return annotation.annotationType().getMethod("value").invoke(annotation);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
