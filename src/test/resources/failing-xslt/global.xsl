<?xml version="1.0" encoding="UTF-8"?>
<!-- the real global stylesheet, so only account.xsl fails -->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:import href="../../../../xslt/global.xsl"/>
</xsl:stylesheet>
