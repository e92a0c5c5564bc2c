/* A strict well-formedness check of an XML document (enough of XML 1.0 for SVG: a prolog,
 * elements, attributes, text, comments, character and the five named entity references), for
 * the --plot tests. Takes the text; gives its elements in document order, unescaped. */
#ifndef TEC_TESTS_XML_CHECK_H
#define TEC_TESTS_XML_CHECK_H
#include <stdbool.h>
#include <stddef.h>

enum { XML_MAX_ATTRS = 16 };
typedef struct XmlElem {
    char *name;
    int parent; /* index of the enclosing element, -1 for the root */
    int nattrs;
    char *keys[XML_MAX_ATTRS], *vals[XML_MAX_ATTRS];
    char *text; /* the text directly inside it, unescaped */
} XmlElem;
typedef struct XmlDoc {
    XmlElem *el;
    int n, cap;
} XmlDoc;

/* False with err set ("line L: why") when text is not one well-formed document. */
bool xml_parse(const char *text, XmlDoc *d, char *err, size_t errlen);
void xml_free(XmlDoc *d);
/* The value of attribute key of element i, or NULL. */
const char *xml_attr(const XmlDoc *d, int i, const char *key);
#endif
