package io.github.amimaven.testing.ec2;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/** EC2's {@code Filter.N.Name / Filter.N.Value.M}: filters AND together, the values of one filter OR together. */
final class Filters {

    record Filter(String name, List<Pattern> values) {
    }

    private final List<Filter> filters;

    private Filters(List<Filter> filters) {
        this.filters = filters;
    }

    static Filters of(Params params) {
        List<Filter> list = new ArrayList<>();
        for (Params f : params.members("Filter")) {
            String name = f.required("Name");
            list.add(new Filter(name, f.list("Value").stream().map(Filters::wildcard).toList()));
        }
        return new Filters(list);
    }

    /**
     * True when the resource passes every filter. {@code valuesOf} answers a filter name with the resource's
     * values for it, or null when the name is not a filter of this resource type (an error, as in EC2). Tag
     * filters are answered here from {@code tags}.
     */
    boolean matches(Map<String, String> tags, Function<String, Collection<String>> valuesOf) {
        for (Filter f : filters) {
            Collection<String> actual;
            if (f.name.startsWith("tag:")) {
                String v = tags.get(f.name.substring(4));
                actual = v == null ? List.of() : List.of(v);
            } else if (f.name.equals("tag-key")) {
                actual = tags.keySet();
            } else if (f.name.equals("tag-value")) {
                actual = tags.values();
            } else {
                actual = valuesOf.apply(f.name);
                if (actual == null) {
                    throw Ec2Error.of("InvalidParameterValue", "The filter '" + f.name + "' is invalid");
                }
            }
            boolean any = false;
            for (String a : actual) {
                for (Pattern p : f.values) {
                    if (a != null && p.matcher(a).matches()) {
                        any = true;
                        break;
                    }
                }
            }
            if (!any) {
                return false;
            }
        }
        return true;
    }

    /** EC2 filter values use {@code *} and {@code ?} wildcards; {@code \} escapes them. */
    static Pattern wildcard(String value) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length()) {
                re.append(Pattern.quote(String.valueOf(value.charAt(++i))));
            } else if (c == '*') {
                re.append(".*");
            } else if (c == '?') {
                re.append('.');
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }

    static List<String> one(Object value) {
        return value == null ? List.of() : List.of(String.valueOf(value));
    }
}
