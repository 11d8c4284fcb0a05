<?xml version="1.0" encoding="UTF-8"?>
<!--
  Example override, tenant 'legacyco': its desktop clients get a config.xml of an older UC-One generation that
  nests the SIP settings of each line under protocols/sip/lines/line. Read the first line there; files of the
  current layout (mobile) still work as before.
-->
<xsl:stylesheet version="3.0"
                xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:p="urn:provisioning-proxy"
                exclude-result-prefixes="#all">

  <xsl:import href="../../account.xsl"/>

  <xsl:template match="device-file" mode="p:sip">
    <xsl:sequence select="(*/*:protocols/*:sip/*:lines/*:line, */*:protocols/*:sip)[1]"/>
  </xsl:template>

</xsl:stylesheet>
