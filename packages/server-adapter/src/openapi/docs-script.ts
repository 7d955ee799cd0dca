/**
 * The docs page's renderer: vanilla JS that reads the OpenAPI document embedded in the page and
 * builds the reference with DOM calls (never `innerHTML`, so no text in the document can inject
 * markup). Kept as text, sent inline and allowed by its hash in the page's CSP.
 */
export const docsScript = String.raw`(function () {
  'use strict';
  var spec = JSON.parse(document.getElementById('openapi').textContent);
  var app = document.getElementById('app');

  function el(tag, className, children) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    (children || []).forEach(function (child) {
      if (child === null || child === undefined || child === false) return;
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    });
    return node;
  }
  function link(href, text, className) {
    var a = el('a', className, [text]);
    a.href = href;
    return a;
  }
  // Descriptions use backticks for code; render those spans as <code>, the rest as text.
  function prose(text, className, tag) {
    var p = el(tag || 'p', className);
    String(text || '').split('` + '`' + String.raw`').forEach(function (part, i) {
      p.appendChild(i % 2 === 1 ? el('code', null, [part]) : document.createTextNode(part));
    });
    return p;
  }
  function refName(ref) {
    return ref.replace('#/components/schemas/', '');
  }
  function typeLabel(schema) {
    if (!schema || typeof schema !== 'object') return el('span', 'type', ['any']);
    if (schema.$ref) return link('#schema-' + refName(schema.$ref), refName(schema.$ref), 'ref');
    var alternatives = schema.anyOf || schema.oneOf;
    if (alternatives) {
      var span = el('span', 'type');
      alternatives.forEach(function (alt, i) {
        if (i > 0) span.appendChild(document.createTextNode(' | '));
        span.appendChild(typeLabel(alt));
      });
      return span;
    }
    if (schema.const !== undefined) return el('span', 'type', [JSON.stringify(schema.const)]);
    if (schema.enum) return el('span', 'type', [schema.enum.map(function (v) { return JSON.stringify(v); }).join(' | ')]);
    var types = [].concat(schema.type || 'any');
    var label = el('span', 'type');
    types.forEach(function (type, i) {
      if (i > 0) label.appendChild(document.createTextNode(' | '));
      if (type === 'array') {
        label.appendChild(document.createTextNode('array of '));
        label.appendChild(typeLabel(schema.items));
      } else {
        label.appendChild(document.createTextNode(type + (schema.format ? ' (' + schema.format + ')' : '')));
      }
    });
    return label;
  }
  function constraints(schema) {
    var parts = [];
    ['minLength', 'maxLength', 'minimum', 'maximum', 'minItems', 'maxItems'].forEach(function (key) {
      if (typeof schema[key] === 'number' && Math.abs(schema[key]) < 1e15) parts.push(key + ' ' + schema[key]);
    });
    if (schema.default !== undefined) parts.push('default ' + JSON.stringify(schema.default));
    return parts.length ? el('span', 'constraints', [parts.join(', ')]) : null;
  }
  function unwrap(schema) {
    var alternatives = schema && (schema.anyOf || schema.oneOf);
    if (!alternatives) return schema;
    var real = alternatives.filter(function (s) { return s.type !== 'null'; });
    return real.length === 1 ? real[0] : schema;
  }
  // A schema as a table of its properties, nested objects indented, or a one-line type.
  function schemaView(schema, depth) {
    depth = depth || 0;
    var box = el('div', 'schema');
    if (schema && schema.description && depth === 0) box.appendChild(prose(schema.description, 'muted'));
    var inner = unwrap(schema);
    if (inner && inner.type === 'array' && inner.items && !inner.items.$ref && unwrap(inner.items).properties) {
      box.appendChild(el('div', null, ['array of:']));
      box.appendChild(schemaView(inner.items, depth + 1));
      return box;
    }
    var variants = inner && (inner.oneOf || inner.anyOf);
    if (variants && variants.some(function (v) { return v.properties; })) {
      variants.forEach(function (v, i) {
        box.appendChild(el('div', 'variant', ['one of (' + (i + 1) + '):']));
        box.appendChild(schemaView(v, depth + 1));
      });
      return box;
    }
    if (!inner || !inner.properties) {
      box.appendChild(el('div', null, [typeLabel(schema), ' ', constraints(schema || {})]));
      return box;
    }
    var table = el('table', 'props');
    var required = inner.required || [];
    Object.keys(inner.properties).forEach(function (name) {
      var property = inner.properties[name];
      var nested = unwrap(property);
      var info = el('td', null, [typeLabel(property), ' ', constraints(nested || {})]);
      if (property.description) info.appendChild(prose(property.description, 'muted'));
      if (nested && !nested.$ref && depth < 4 && (nested.properties || (nested.type === 'array' && nested.items && unwrap(nested.items).properties))) {
        info.appendChild(schemaView(nested, depth + 1));
      }
      table.appendChild(el('tr', null, [el('td', 'name', [el('code', null, [name]), required.indexOf(name) >= 0 ? el('span', 'req', [' required']) : null]), info]));
    });
    box.appendChild(table);
    if (inner.additionalProperties === false) box.appendChild(el('div', 'muted', ['No other properties.']));
    return box;
  }
  function authLine(operation) {
    var names = (operation.security || []).map(function (s) { return Object.keys(s)[0]; });
    if (!names.length) return el('p', 'auth', ['Auth: none']);
    var p = el('p', 'auth', ['Auth: ']);
    names.forEach(function (name, i) {
      if (i > 0) p.appendChild(document.createTextNode(' or '));
      p.appendChild(link('#auth-' + name, name));
    });
    return p;
  }
  function operationView(path, method, operation) {
    var details = el('details', 'op');
    details.id = 'op-' + operation.operationId;
    details.appendChild(el('summary', null, [el('span', 'method ' + method, [method.toUpperCase()]), ' ', el('code', 'path', [path]), ' ', el('span', 'summary', [operation.summary])]));
    if (operation.description) details.appendChild(prose(operation.description));
    details.appendChild(el('p', 'muted', ['operationId: ', el('code', null, [operation.operationId])]));
    details.appendChild(authLine(operation));
    if (operation.parameters && operation.parameters.length) {
      details.appendChild(el('h4', null, ['Parameters']));
      var table = el('table', 'params');
      operation.parameters.forEach(function (p) {
        var info = el('td', null, [typeLabel(p.schema), ' ', constraints(p.schema)]);
        if (p.description) info.appendChild(prose(p.description, 'muted'));
        table.appendChild(el('tr', null, [el('td', 'name', [el('code', null, [p.name]), p.required ? el('span', 'req', [' required']) : null]), el('td', 'in', [p.in]), info]));
      });
      details.appendChild(table);
    }
    if (operation.requestBody) {
      var types = Object.keys(operation.requestBody.content);
      details.appendChild(el('h4', null, ['Request body ', el('span', 'muted', [types.join(', ')])]));
      details.appendChild(schemaView(operation.requestBody.content[types[0]].schema));
    }
    details.appendChild(el('h4', null, ['Responses']));
    Object.keys(operation.responses).forEach(function (status) {
      var response = operation.responses[status];
      var item = el('div', 'response');
      item.appendChild(el('div', null, [el('span', 'status s' + status.charAt(0), [status]), ' ', prose(response.description, null, 'span')]));
      Object.keys(response.content || {}).forEach(function (type) {
        item.appendChild(el('div', 'muted', [type]));
        item.appendChild(schemaView(response.content[type].schema));
      });
      details.appendChild(item);
    });
    return details;
  }

  document.title = spec.info.title + ' ' + spec.info.version;
  app.appendChild(el('h1', null, [spec.info.title, ' ', el('span', 'version', [spec.info.version])]));
  app.appendChild(prose(spec.info.description));
  (spec.servers || []).forEach(function (server) {
    app.appendChild(el('p', null, ['Server: ', el('code', null, [server.url]), ' · ', link(server.url + '/openapi.json', 'openapi.json')]));
  });
  var byTag = {};
  Object.keys(spec.paths).forEach(function (path) {
    Object.keys(spec.paths[path]).forEach(function (method) {
      var operation = spec.paths[path][method];
      (operation.tags || ['Other']).forEach(function (tag) {
        (byTag[tag] = byTag[tag] || []).push(operationView(path, method, operation));
      });
    });
  });
  var tags = (spec.tags || []).map(function (t) { return t.name; });
  Object.keys(byTag).forEach(function (t) { if (tags.indexOf(t) < 0) tags.push(t); });
  var nav = el('nav', null, [el('strong', null, ['Contents'])]);
  tags.forEach(function (tag) { nav.appendChild(link('#tag-' + encodeURIComponent(tag), tag)); });
  nav.appendChild(link('#authentication', 'Authentication'));
  nav.appendChild(link('#schemas', 'Schemas'));
  app.appendChild(nav);

  var auth = el('section', null, [el('h2', null, ['Authentication'])]);
  auth.id = 'authentication';
  var schemes = (spec.components && spec.components.securitySchemes) || {};
  Object.keys(schemes).forEach(function (name) {
    var block = el('div', 'scheme', [el('h3', null, [name, ' ', el('span', 'muted', [schemes[name].type + ' ' + (schemes[name].scheme || '')])]), prose(schemes[name].description)]);
    block.id = 'auth-' + name;
    auth.appendChild(block);
  });

  tags.forEach(function (tag) {
    var section = el('section', 'tag', [el('h2', null, [tag])]);
    section.id = 'tag-' + encodeURIComponent(tag);
    var about = (spec.tags || []).filter(function (t) { return t.name === tag; })[0];
    if (about && about.description) section.appendChild(prose(about.description, 'muted'));
    (byTag[tag] || []).forEach(function (op) { section.appendChild(op); });
    app.appendChild(section);
  });
  app.appendChild(auth);

  var schemas = el('section', null, [el('h2', null, ['Schemas'])]);
  schemas.id = 'schemas';
  var components = (spec.components && spec.components.schemas) || {};
  Object.keys(components).forEach(function (name) {
    var block = el('div', 'component', [el('h3', null, [name]), schemaView(components[name])]);
    block.id = 'schema-' + name;
    schemas.appendChild(block);
  });
  app.appendChild(schemas);

  // A link to an operation or schema opens it.
  function openTarget() {
    var target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (target && target.tagName === 'DETAILS') target.open = true;
  }
  window.addEventListener('hashchange', openTarget);
  openTarget();
  document.body.setAttribute('data-rendered', String(document.querySelectorAll('details.op').length));
})();
`;
