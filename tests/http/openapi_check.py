"""Holds every answer of the run to docs/api/openapi.json: the status must be documented for the
route, the content type must be the documented one, and a JSON body must match the schema
(a subset of JSON Schema: $ref, type, properties, required, items, enum, oneOf, allOf,
minimum/maximum, minLength/maxLength, minItems, pattern; properties that the schema does not
name are reported too, so that the document describes everything the server sends)."""

import json
import re

METHODS = {"get", "put", "post", "delete", "patch"}


class OpenApiChecker:
    def __init__(self, path):
        with open(path, encoding="utf-8") as f:
            self.doc = json.load(f)
        self.routes = []
        for template in self.doc.get("paths", {}):
            pattern = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$"
            self.routes.append((template.count("{"), template, re.compile(pattern)))
        self.routes.sort(key=lambda r: r[0])  # literal segments win: /people/import
        self.violations = []
        self.checked = 0

    def resolve(self, node):
        seen = 0
        while isinstance(node, dict) and "$ref" in node:
            ref = node["$ref"]
            if not ref.startswith("#/"):
                raise ValueError("external $ref %r" % ref)
            target = self.doc
            for part in ref[2:].split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            node = target
            seen += 1
            if seen > 20:
                raise ValueError("$ref loop at %r" % ref)
        return node

    def template_of(self, path):
        path = path.split("?")[0]
        for _, template, pattern in self.routes:
            if pattern.match(path):
                return template
        return None

    def record(self, resp):
        template = self.template_of(resp.path)
        if template is None:
            return  # no such route: answered 404, nothing to hold it to
        operation = self.doc["paths"][template].get(resp.method.lower())
        if operation is None:
            return  # a method the route does not have
        self.checked += 1
        where = "%s %s -> %d" % (resp.method, template, resp.status)
        responses = operation.get("responses", {})
        documented = responses.get(str(resp.status)) or responses.get("default")
        if documented is None:
            self.violations.append("%s: status not documented (documented: %s)"
                                   % (where, ", ".join(sorted(responses))))
            return
        documented = self.resolve(documented)
        content = documented.get("content")
        if not content:
            if resp.body and resp.status != 204:
                self.violations.append("%s: a body where none is documented: %s"
                                       % (where, resp.excerpt(120)))
            return
        media = resp.content_type
        if media not in content:
            self.violations.append("%s: content type %r, documented: %s"
                                   % (where, media, ", ".join(sorted(content))))
            return
        schema = content[media].get("schema")
        if schema is None or not media.endswith("json"):
            return
        body = resp.json()
        if body is None and resp.body.strip() != b"null":
            self.violations.append("%s: the body is not JSON: %s" % (where, resp.excerpt(120)))
            return
        errors = []
        self.validate(body, schema, "body", errors)
        for error in errors[:5]:
            self.violations.append("%s: %s" % (where, error))

    def validate(self, value, schema, at, errors):
        schema = self.resolve(schema)
        if not isinstance(schema, dict) or not schema:
            return
        if "allOf" in schema:
            for sub in schema["allOf"]:
                self.validate(value, sub, at, errors)
        if "oneOf" in schema:
            matches = 0
            for sub in schema["oneOf"]:
                sub_errors = []
                self.validate(value, sub, at, sub_errors)
                matches += not sub_errors
            if matches != 1:
                errors.append("%s matches %d of the oneOf schemas: %s"
                              % (at, matches, json.dumps(value)[:80]))
        if "type" in schema:
            types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
            if not any(self.is_type(value, t) for t in types):
                errors.append("%s is %s, documented %s" % (at, json.dumps(value)[:60],
                                                           "/".join(types)))
                return
        if "enum" in schema and value not in schema["enum"]:
            errors.append("%s is %r, not one of %r" % (at, value, schema["enum"]))
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if "minimum" in schema and value < schema["minimum"]:
                errors.append("%s is %r < minimum %r" % (at, value, schema["minimum"]))
            if "maximum" in schema and value > schema["maximum"]:
                errors.append("%s is %r > maximum %r" % (at, value, schema["maximum"]))
        if isinstance(value, str):
            if "minLength" in schema and len(value) < schema["minLength"]:
                errors.append("%s is shorter than %d" % (at, schema["minLength"]))
            if "maxLength" in schema and len(value) > schema["maxLength"]:
                errors.append("%s is longer than %d" % (at, schema["maxLength"]))
            if "pattern" in schema and not re.search(schema["pattern"], value):
                errors.append("%s does not match %r" % (at, schema["pattern"]))
        if isinstance(value, dict):
            props = schema.get("properties")
            for name in schema.get("required", []):
                if name not in value:
                    errors.append("%s lacks the required %r" % (at, name))
            if props is not None:
                for name, item in value.items():
                    if name in props:
                        self.validate(item, props[name], "%s.%s" % (at, name), errors)
                    elif schema.get("additionalProperties", False) is False:
                        errors.append("%s has %r, which the document does not describe"
                                      % (at, name))
        if isinstance(value, list):
            if "minItems" in schema and len(value) < schema["minItems"]:
                errors.append("%s has fewer than %d items" % (at, schema["minItems"]))
            if "items" in schema:
                for i, item in enumerate(value[:50]):
                    self.validate(item, schema["items"], "%s[%d]" % (at, i), errors)

    @staticmethod
    def is_type(value, name):
        if name == "null":
            return value is None
        if name == "boolean":
            return isinstance(value, bool)
        if name == "integer":
            return isinstance(value, int) and not isinstance(value, bool)
        if name == "number":
            return isinstance(value, (int, float)) and not isinstance(value, bool)
        if name == "string":
            return isinstance(value, str)
        if name == "array":
            return isinstance(value, list)
        if name == "object":
            return isinstance(value, dict)
        return True
