<?xml version="1.0" encoding="UTF-8"?>
<!-- a stylesheet with a bug: raises a dynamic error whose text must never reach the subscriber -->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:template match="/">
    <xsl:sequence select="error(QName('urn:test', 'bug'), 'internal detail that must stay in the log')"/>
  </xsl:template>
</xsl:stylesheet>
