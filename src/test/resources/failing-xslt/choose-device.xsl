<?xml version="1.0" encoding="UTF-8"?>
<!-- the real device choice, so the walk reaches account.xsl -->
<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:import href="../../../../xslt/choose-device.xsl"/>
</xsl:stylesheet>
