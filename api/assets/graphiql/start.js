// Starts GraphiQL on CTE Hub's page. It is a file of its own, served by the API
// like the libraries before it, so the page's Content-Security-Policy can refuse
// every inline script. React, ReactDOM and GraphiQL are globals set by the
// scripts loaded before this one.
(function () {
  'use strict';

  // GraphiQL's dialogs add one inline <style> (to lock page scrolling); it carries
  // the nonce the page's Content-Security-Policy names, read by the bundle from
  // this global.
  var styleNonce = document.querySelector('meta[name="style-nonce"]');
  if (styleNonce) {
    window.__webpack_nonce__ = styleNonce.getAttribute('content');
  }

  var root = document.getElementById('graphiql');
  var endpoint = root.getAttribute('data-endpoint') || '/graphql';

  var defaultQuery = [
    '# Welcome to CTE Hub. Run with \u25B6 or Ctrl+Enter;',
    '# the book icon (top left) opens the docs.',
    '#',
    '# Sectors and pathways are real (CDE). Records with `sample: true` are',
    '# illustrative (sample courses, sections, agreements, partners): pass',
    '# `includeSample: false` to any list or to `search` for real records only.',
    '#',
    '# The 15 industry sectors and their first pathways:',
    '{',
    '  sectors {',
    '    code',
    '    name',
    '    pathways(first: 3) {',
    '      totalCount',
    '      nodes {',
    '        code',
    '        name',
    '      }',
    '    }',
    '  }',
    '}',
    ''
  ].join('\n');

  // POSTs to the API asking for the GraphQL-over-HTTP media type first. Headers
  // typed in GraphiQL's headers editor (e.g. Authorization) are sent as well.
  function fetcher(params, options) {
    var headers = Object.assign(
      {
        'Content-Type': 'application/json',
        Accept: 'application/graphql-response+json, application/json'
      },
      (options && options.headers) || {}
    );
    return fetch(endpoint, {
      method: 'POST',
      headers: headers,
      body: JSON.stringify(params),
      credentials: 'same-origin'
    }).then(function (response) {
      return response.text().then(function (text) {
        try {
          return JSON.parse(text);
        } catch (e) {
          // Not JSON (a proxy's error page, say): show it as a GraphQL error.
          return {
            errors: [{ message: 'HTTP ' + response.status + ': ' + text.slice(0, 500) }]
          };
        }
      });
    });
  }

  ReactDOM.createRoot(root).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: defaultQuery,
      defaultEditorToolsVisibility: false
    })
  );
})();
