#ifndef IPCASE_CLIBXML2_SHIM_H
#define IPCASE_CLIBXML2_SHIM_H
#include <libxml/xmlversion.h>
// Debian builds libxml2 with ICU, whose headers clash with the ICU that Foundation brings. Only
// the layout of xmlCharEncodingHandler depends on it, which is reached through pointers here.
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>

/// XML_SAX2_MAGIC, which Swift does not import (an unsuffixed literal beyond Int32).
static const unsigned int ipcase_xml_sax2_magic = XML_SAX2_MAGIC;

/// The line the parser is at (its current input's), for an error found after parsing.
static inline int ipcase_xml_line(xmlParserCtxtPtr context) {
    return (context != NULL && context->input != NULL) ? context->input->line : 0;
}
#endif
